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
import { Button, Input, Switch, TextArea } from '../../components/ui';

const PRIVACY_NOTICE =
  '您填写的留言内容、图片和联系方式仅用于本工作室委员和政协机关办理您的诉求，不会公开，也不会用于其他用途。选择匿名后委员看不到您的称呼；不允许回电时委员只能看到脱敏后的手机号。';

interface Uploading {
  localPath: string;
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
  const [sending, setSending] = useState(false);
  const sendingRef = useRef(false);

  useLoad((params: Record<string, string | undefined>) => {
    if (params.studioId) setDraft(loadDraft(taroStore, params.studioId));
  });

  if (!draft) {
    return (
      <PageShell>
        <View className="state">
          <Text className="state__text">请从委员工作室页面进入留言</Text>
        </View>
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

  const addPhotos = async () => {
    const room = MAX_TICKET_IMAGES - draft.images.length - uploading.length;
    if (room <= 0) return showToast(`最多上传 ${MAX_TICKET_IMAGES} 张图片`);
    if (!(await ensureSignedIn())) return;
    let paths: string[];
    try {
      const chosen = await Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
      paths = chosen.tempFilePaths.slice(0, room);
    } catch {
      return; // the resident cancelled
    }
    setUploading((list) => [...list, ...paths.map((localPath) => ({ localPath, percent: 0 }))]);
    for (const localPath of paths) {
      try {
        const uploaded = await api.upload(localPath, (percent) =>
          setUploading((list) => list.map((u) => (u.localPath === localPath ? { ...u, percent } : u))),
        );
        setDraft((previous) => {
          if (!previous) return previous;
          const next = { ...previous, images: [...previous.images, { id: uploaded.id, url: uploaded.url }] };
          saveDraft(taroStore, next);
          return next;
        });
      } catch (error) {
        showToast(error instanceof ApiError ? error.message : '图片上传失败，请重试');
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
      });
    } finally {
      sendingRef.current = false;
      setSending(false);
    }
  };

  const length = [...draft.content].length;

  return (
    <PageShell>
      <View className="field">
        <Text className="field__label">留言类型</Text>
        <View className="chips">
          {TICKET_CATEGORIES.map((category) => (
            <View
              key={category}
              className={`chip${draft.category === category ? ' chip--on' : ''}`}
              onClick={() => update({ category })}
            >
              {TICKET_CATEGORY_LABELS[category]}
            </View>
          ))}
        </View>
      </View>

      <View className="field">
        <Text className="field__label">留言内容</Text>
        <TextArea
          className="input-box content-input"
          placeholder="请写清楚事情发生的地点、经过和您的诉求（至少 5 个字）"
          value={draft.content}
          maxLength={TICKET_CONTENT_MAX}
          rows={6}
          autoSize
          onChange={(value: string) => update({ content: value })}
        />
        <Text className={`counter small ${length > TICKET_CONTENT_MAX ? 'danger' : 'muted'}`}>
          {length}/{TICKET_CONTENT_MAX}
        </Text>
      </View>

      <View className="field">
        <Text className="field__label">图片（选填，最多 {MAX_TICKET_IMAGES} 张）</Text>
        <View className="photos">
          {draft.images.map((image) => (
            <View key={image.id} className="photo photo--done">
              <Image className="photo__img" src={imageUrl(image.url)} mode="aspectFill" />
              <View
                className="photo__remove"
                onClick={() => update({ images: draft.images.filter((i) => i.id !== image.id) })}
              >
                <Text className="photo__remove-x">×</Text>
              </View>
            </View>
          ))}
          {uploading.map((u) => (
            <View key={u.localPath} className="photo">
              <Image className="photo__img" src={u.localPath} mode="aspectFill" />
              <Text className="photo__progress">上传中 {u.percent}%</Text>
            </View>
          ))}
          {draft.images.length + uploading.length < MAX_TICKET_IMAGES ? (
            <View className="photo photo__add add-photo" onClick={() => void addPhotos()}>
              +
            </View>
          ) : null}
        </View>
      </View>

      <View className="card">
        <View className="field">
          <Text className="field__label">称呼（选填）</Text>
          <Input
            className="input-box"
            placeholder="如：王先生"
            value={draft.contactName}
            maxLength={20}
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
            onChange={(value: string) => update({ contactPhone: value.replace(/\D/g, '') })}
          />
        </View>
        {draft.contactPhone ? (
          <View className="setting-row">
            <Text>允许委员查看完整号码并回电</Text>
            <Switch checked={draft.allowContact} onChange={(on: boolean) => update({ allowContact: on })} />
          </View>
        ) : null}
        <View className="setting-row">
          <Text>对委员匿名</Text>
          <Switch checked={draft.anonymous} onChange={(on: boolean) => update({ anonymous: on })} />
        </View>
      </View>

      <View className="consent" onClick={() => update({ consent: !draft.consent })}>
        <View className={`box${draft.consent ? ' box--on' : ''} consent-box`}>{draft.consent ? '✓' : ''}</View>
        <Text>
          我已阅读并同意
          <Text
            className="link"
            onClick={(event) => {
              event.stopPropagation();
              void Taro.showModal({
                title: '隐私说明',
                content: PRIVACY_NOTICE,
                showCancel: false,
                confirmText: '我知道了',
              });
            }}
          >
            《隐私说明》
          </Text>
        </Text>
      </View>

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
