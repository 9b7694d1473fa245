import { Image, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { MAX_TICKET_IMAGES, TICKET_CATEGORIES, TICKET_CATEGORY_LABELS, TICKET_CONTENT_MAX } from '@mashangshang/shared';
import {
  api,
  ApiError,
  ensureSignedIn,
  imageUrl,
  requestNoticeConsent,
  showToast,
  taroStore,
} from '../../services/api';
import { clearDraft, draftProblem, loadDraft, saveDraft, submitBodyOf, type TicketDraft } from '../../services/draft';
import { PageShell } from '../../components/page-shell';
import { ErrorState } from '../../components/error-state';
import { GrowingTextArea } from '../../components/growing-text-area';
import { choosePhotos, preparePhoto } from '../../components/photo-compress';
import { Tap } from '../../components/tap';
import { Toggle } from '../../components/toggle';
import { Button, Input } from '../../components/ui';

const PRIVACY_NOTICE =
  '您填写的留言内容、图片和联系方式仅用于本工作室委员和政协机关办理您的诉求，不会公开，也不会用于其他用途。选择匿名后委员看不到您的称呼；不允许回电时委员只能看到脱敏后的手机号。';

interface Uploading {
  localPath: string;
  /** Compressing on the phone, then sending with its progress. */
  phase: 'compressing' | 'uploading';
  percent: number;
}

/**
 * The resident's message. The draft (with its Idempotency-Key) is saved on every change and
 * removed only when the server confirmed the ticket, so a failed send loses nothing and a retry
 * can never create a second ticket.
 */
export default function SubmitPage() {
  const [draft, setDraft] = useState<TicketDraft | null>(null);
  const [uploading, setUploading] = useState<Uploading[]>([]);
  const [photoProblem, setPhotoProblem] = useState('');
  const [privacyOpen, setPrivacyOpen] = useState(false);
  const [sending, setSending] = useState(false);
  const sendingRef = useRef(false);

  useLoad((params: Record<string, string | undefined>) => {
    if (params.studioId) setDraft(loadDraft(taroStore, params.studioId));
  });

  if (!draft) {
    return (
      <PageShell resident="other" title="我要留言">
        <ErrorState
          failure={{
            title: '请先选择要留言的委员工作室',
            hint: '扫一扫工作室门口的二维码，或在全部工作室中打开一个工作室，再点“我要留言”。',
            retry: false,
          }}
        />
      </PageShell>
    );
  }

  const update = (patch: Partial<TicketDraft>) => {
    setDraft((previous) => {
      if (!previous) return previous;
      const next = { ...previous, ...patch };
      saveDraft(taroStore, next);
      return next;
    });
  };

  const setProgress = (localPath: string, patch: Partial<Uploading>) =>
    setUploading((list) => list.map((u) => (u.localPath === localPath ? { ...u, ...patch } : u)));

  const addPhotos = async () => {
    const room = MAX_TICKET_IMAGES - draft.images.length - uploading.length;
    if (room <= 0) return showToast(`最多上传 ${MAX_TICKET_IMAGES} 张图片`);
    if (!(await ensureSignedIn())) return;
    const photos = await choosePhotos(room);
    if (!photos) return; // the resident cancelled
    setPhotoProblem('');
    setUploading((list) => [
      ...list,
      ...photos.map((photo) => ({ localPath: photo.path, phase: 'compressing' as const, percent: 0 })),
    ]);
    for (const photo of photos) {
      const localPath = photo.path;
      try {
        const prepared = await preparePhoto(photo);
        if (!prepared.ok) {
          // Refused before anything is sent: no wait for an upload the server would turn down.
          setPhotoProblem(prepared.message);
          continue;
        }
        setProgress(localPath, { phase: 'uploading', percent: 0 });
        const uploaded = await api.upload(prepared.path, (percent) => setProgress(localPath, { percent }));
        setDraft((previous) => {
          if (!previous) return previous;
          const next = { ...previous, images: [...previous.images, { id: uploaded.id, url: uploaded.url }] };
          saveDraft(taroStore, next);
          return next;
        });
      } catch (error) {
        setPhotoProblem(error instanceof ApiError ? `图片没有传上去：${error.message}` : '图片上传失败，请重试');
      } finally {
        setUploading((list) => list.filter((u) => u.localPath !== localPath));
      }
    }
  };

  const send = async () => {
    if (sendingRef.current) return;
    const problem = draftProblem(draft);
    if (problem) return showToast(problem);
    if (uploading.length) return showToast('图片还在上传，请稍候');
    sendingRef.current = true;
    setSending(true);
    try {
      const session = await ensureSignedIn();
      if (!session) return;
      // WeChat only asks for consent in direct answer to a tap: do it before the network call.
      await requestNoticeConsent(['ticket_replied']);
      const ticket = await api.submitTicket(submitBodyOf(draft), draft.idempotencyKey);
      clearDraft(taroStore, draft.studioId);
      void Taro.showToast({ title: '提交成功', icon: 'success' });
      void Taro.redirectTo({ url: `/pages/ticket/index?id=${ticket.id}&fresh=1` });
    } catch (error) {
      // The draft stays saved with the same Idempotency-Key; sending again is safe.
      const text = error instanceof ApiError ? error.message : '提交失败，请稍后重试';
      void Taro.showModal({
        title: '留言没有发出',
        content: `${text}\n您填写的内容已保存，可以直接再次提交。`,
        showCancel: false,
        confirmText: '知道了',
        confirmColor: '#b71c1c',
      });
    } finally {
      sendingRef.current = false;
      setSending(false);
    }
  };

  const length = [...draft.content].length;
  const photoCount = draft.images.length + uploading.length;

  return (
    <PageShell resident="other" title="我要留言">
      <View className="field" role="radiogroup" ariaLabel="留言类型">
        <Text className="field__label" ariaHidden="true">
          留言类型
        </Text>
        <View className="chips">
          {TICKET_CATEGORIES.map((category) => (
            <Tap
              key={category}
              role="radio"
              checked={draft.category === category}
              className={`chip${draft.category === category ? ' chip--on' : ''}`}
              onTap={() => update({ category })}
            >
              {TICKET_CATEGORY_LABELS[category]}
            </Tap>
          ))}
        </View>
      </View>

      <View className="field">
        <Text className="field__label">留言内容</Text>
        <GrowingTextArea
          className="content-input"
          label="留言内容"
          placeholder="请写清楚事情发生的地点、经过和您的诉求（至少 5 个字）"
          value={draft.content}
          maxLength={TICKET_CONTENT_MAX}
          onChange={(value) => update({ content: value })}
        />
        <Text className={`counter small ${length > TICKET_CONTENT_MAX ? 'danger' : 'muted'}`}>
          {length}/{TICKET_CONTENT_MAX}
        </Text>
      </View>

      <View className="field">
        <Text className="field__label">图片（选填，最多 {MAX_TICKET_IMAGES} 张）</Text>
        <View className="photos">
          {draft.images.map((image, i) => (
            <View key={image.id} className="photo photo--done">
              <Image
                className="photo__img"
                src={imageUrl(image.url)}
                mode="aspectFill"
                ariaLabel={`第 ${i + 1} 张图片`}
                nativeProps={{ alt: `第 ${i + 1} 张图片` }}
              />
              <Tap
                className="photo__remove"
                label={`删除第 ${i + 1} 张图片`}
                onTap={() => update({ images: draft.images.filter((other) => other.id !== image.id) })}
              >
                <Text className="photo__remove-x">×</Text>
                <Text className="sr-only">删除第 {i + 1} 张图片</Text>
              </Tap>
            </View>
          ))}
          {uploading.map((u) => (
            <View key={u.localPath} className="photo photo--busy" role="status">
              <Image className="photo__img" src={u.localPath} mode="aspectFill" nativeProps={{ alt: '' }} />
              <Text className="photo__progress">
                {u.phase === 'compressing' ? '正在压缩…' : `上传中 ${u.percent}%`}
              </Text>
            </View>
          ))}
          {photoCount < MAX_TICKET_IMAGES ? (
            <Tap
              className="photo photo__add add-photo"
              label={`添加图片，还可以添加 ${MAX_TICKET_IMAGES - photoCount} 张`}
              onTap={() => void addPhotos()}
            >
              <Text className="photo__add-plus" ariaHidden="true">
                +
              </Text>
              <Text className="photo__add-text">添加图片</Text>
            </Tap>
          ) : null}
        </View>
        {photoProblem ? (
          <Text className="block field-problem photo-problem" role="alert">
            {photoProblem}
          </Text>
        ) : null}
      </View>

      <View className="card">
        <View className="field">
          <Text className="field__label">称呼（选填）</Text>
          <Input
            className="input-box"
            placeholder="如：王先生"
            value={draft.contactName}
            maxLength={20}
            nativeProps={{ 'aria-label': '称呼（选填）' }}
            onChange={(value: string) => update({ contactName: value })}
          />
        </View>
        <View className="field">
          <Text className="field__label">手机号（选填，方便委员联系您）</Text>
          <Input
            className="input-box"
            type="number"
            placeholder="11 位手机号"
            value={draft.contactPhone}
            maxLength={11}
            nativeProps={{ 'aria-label': '手机号（选填）' }}
            onChange={(value: string) => update({ contactPhone: value.replace(/\D/g, '') })}
          />
        </View>
        {draft.contactPhone ? (
          <Toggle
            label="允许委员查看完整号码并回电"
            checked={draft.allowContact}
            onChange={(on) => update({ allowContact: on })}
          />
        ) : null}
        <Toggle
          className="anonymous-toggle"
          label="对委员匿名"
          checked={draft.anonymous}
          onChange={(on) => update({ anonymous: on })}
        />
      </View>

      <View className="consent-row">
        <Tap
          role="checkbox"
          checked={draft.consent}
          className="consent"
          label="我已阅读并同意隐私说明"
          onTap={() => update({ consent: !draft.consent })}
        >
          <View className={`box${draft.consent ? ' box--on' : ''} consent-box`}>{draft.consent ? '✓' : ''}</View>
          <Text>我已阅读并同意隐私说明</Text>
        </Tap>
        <Tap className="privacy-link" onTap={() => setPrivacyOpen(!privacyOpen)}>
          <Text className="link">{privacyOpen ? '收起隐私说明' : '查看隐私说明'}</Text>
        </Tap>
      </View>
      {privacyOpen ? (
        <View className="card privacy-notice">
          <Text>{PRIVACY_NOTICE}</Text>
        </View>
      ) : null}

      <Button
        className="btn-block send-ticket"
        type="primary"
        size="large"
        loading={sending}
        disabled={sending}
        onClick={() => void send()}
      >
        {sending ? '正在提交…' : '提交留言'}
      </Button>
      <Text className="block muted small" style={{ marginTop: '12px' }}>
        提交后委员会尽快答复，答复后会通过微信通知您，也可以在“我的留言”中查看。
      </Text>
    </PageShell>
  );
}
