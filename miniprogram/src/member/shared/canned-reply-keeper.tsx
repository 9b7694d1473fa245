import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import {
  CANNED_REPLIES_MAX,
  CANNED_REPLY_PLACEHOLDERS,
  CANNED_REPLY_TEXT_MAX,
  CANNED_REPLY_TITLE_MAX,
  fillCannedReply,
  type CannedReply,
} from '@mashangshang/shared';
import { api, ApiError } from '../../services/api';
import { Input, TextArea } from '../../components/ui';
import { ActionButton, Badge, confirmAction } from './controls';
import './canned-replies.css';

/** What a placeholder becomes, said for the people who write replies. */
const PLACEHOLDER_HELP = `${CANNED_REPLY_PLACEHOLDERS.salutation} 换成留言人的称呼（未留称呼为“群众”，匿名时为“匿名群众”），${CANNED_REPLY_PLACEHOLDERS.studioName} 换成工作室名称`;

/**
 * One list of 常用回复 (office-wide when `studioId` is null, else one studio's) and the form to add
 * or change one: for admins (any list) and a studio's lead members (their studio's). Members insert
 * them from a ticket's reply box.
 */
export function CannedReplyKeeper(props: { studioId: string | null; studioName: string | null }) {
  const { studioId } = props;
  const [items, setItems] = useState<CannedReply[] | null>(null);
  /** With a studio, the office-wide replies offered to it as well, counted. */
  const [officeCount, setOfficeCount] = useState(0);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** Admins may keep every list; a member only their studio's, as its lead. */
  const [canEdit, setCanEdit] = useState(false);
  const [editing, setEditing] = useState<CannedReply | null>(null);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setLoadError(null);
    try {
      const list = await api.cannedReplies(studioId ?? undefined);
      // A studio's list comes with the office-wide ones, which are kept under 全局.
      setItems(list.items.filter((item) => item.studioId === studioId));
      setOfficeCount(studioId ? list.items.filter((item) => item.studioId === null).length : 0);
      setCanEdit(list.canEdit);
    } catch (failure) {
      setLoadError(failure instanceof ApiError ? failure.message : '加载失败');
    }
  };
  useEffect(() => {
    setItems(null);
    setEditing(null);
    setTitle('');
    setText('');
    void load();
  }, [studioId]);

  const startEdit = (item: CannedReply) => {
    setEditing(item);
    setTitle(item.title);
    setText(item.text);
  };
  const resetForm = () => {
    setEditing(null);
    setTitle('');
    setText('');
  };
  const valid = title.trim() !== '' && text.trim() !== '';
  const full = (items?.length ?? 0) >= CANNED_REPLIES_MAX;

  const save = async () => {
    setBusy(true);
    try {
      if (editing) {
        const saved = await api.updateCannedReply(editing.id, { title: title.trim(), text: text.trim() });
        setItems((list) => list?.map((item) => (item.id === saved.id ? saved : item)) ?? null);
      } else {
        const saved = await api.createCannedReply({ studioId, title: title.trim(), text: text.trim() });
        setItems((list) => [...(list ?? []), saved]);
      }
      void Taro.showToast({ title: '已保存', icon: 'success' });
      resetForm();
    } catch {
      // toast already shown
    } finally {
      setBusy(false);
    }
  };
  const remove = async (item: CannedReply) => {
    const confirmed = await confirmAction({
      title: '删除常用回复',
      content: `删除“${item.title}”后，委员将不能再插入它。已发出的回复不受影响。确定删除吗？`,
      confirmText: '删除',
    });
    if (!confirmed) return;
    try {
      await api.deleteCannedReply(item.id);
      setItems((list) => list?.filter((other) => other.id !== item.id) ?? null);
      if (editing?.id === item.id) resetForm();
      void Taro.showToast({ title: '已删除', icon: 'success' });
    } catch {
      // toast already shown
    }
  };
  const addPlaceholder = (placeholder: string) =>
    setText((current) => `${current}${placeholder}`.slice(0, CANNED_REPLY_TEXT_MAX));

  const preview = fillCannedReply(text.trim(), {
    salutation: '王女士',
    studioName: props.studioName ?? '硖石街道委员集体工作室',
  });

  return (
    <View className="canned-keeper">
      {items === null ? (
        <View className="state">
          <Text className="state__text">{loadError ?? '正在加载…'}</Text>
          {loadError ? (
            <ActionButton className="tap" fill="outline" onClick={() => void load()}>
              重新加载
            </ActionButton>
          ) : null}
        </View>
      ) : (
        <>
          <Text className="block small muted canned-keeper__count">
            共 {items.length} 条（最多 {CANNED_REPLIES_MAX} 条），常用的排在前面
            {studioId && officeCount ? `；另有 ${officeCount} 条全局常用回复也提供给本工作室` : ''}。
          </Text>
          {items.length === 0 ? <Text className="block muted canned-keeper__empty">还没有常用回复。</Text> : null}
          {items.map((item) => (
            <View key={item.id} className="card stack canned-reply" data-title={item.title}>
              <View className="row row--between">
                <Text className="canned-reply__title">{item.title}</Text>
                <Badge tone="plain">已使用 {item.useCount} 次</Badge>
              </View>
              <Text className="canned-reply__text">{item.text}</Text>
              {canEdit ? (
                <View className="row admin-actions">
                  <ActionButton
                    className="tap edit-canned-reply"
                    fill="outline"
                    label={`修改“${item.title}”`}
                    onClick={() => startEdit(item)}
                  >
                    修改
                  </ActionButton>
                  <ActionButton
                    className="tap delete-canned-reply"
                    type="danger"
                    fill="outline"
                    label={`删除“${item.title}”`}
                    onClick={() => void remove(item)}
                  >
                    删除
                  </ActionButton>
                </View>
              ) : null}
            </View>
          ))}

          {canEdit ? null : (
            <Text className="block warn canned-keeper__read-only">
              只有本工作室的负责委员和政协机关可以增改常用回复；需要新的常用回复，请告诉他们。
            </Text>
          )}
          {canEdit ? (
            <View className="card stack canned-form">
              <Text className="h2 canned-form__title">{editing ? `修改“${editing.title}”` : '新增常用回复'}</Text>
              {full && !editing ? (
                <Text className="warn small">已满 {CANNED_REPLIES_MAX} 条，请先删除不再使用的。</Text>
              ) : null}
              <Text className="field__label">标题（委员在列表中看到的）</Text>
              <Input
                className="input-box canned-title-input"
                placeholder="标题，如：已转交相关部门"
                value={title}
                maxLength={CANNED_REPLY_TITLE_MAX}
                onChange={(value: string) => setTitle(value)}
              />
              <Text className="field__label">回复内容</Text>
              <TextArea
                className="input-box canned-text-input"
                placeholder="回复内容，可用 {称呼}、{工作室名}"
                value={text}
                maxLength={CANNED_REPLY_TEXT_MAX}
                rows={4}
                onChange={(value: string) => setText(value)}
              />
              <Text className="small muted">{PLACEHOLDER_HELP}。</Text>
              <View className="row">
                <ActionButton
                  className="tap add-salutation"
                  fill="outline"
                  label={`在内容末尾加入占位符 ${CANNED_REPLY_PLACEHOLDERS.salutation}`}
                  onClick={() => addPlaceholder(CANNED_REPLY_PLACEHOLDERS.salutation)}
                >
                  加入 {CANNED_REPLY_PLACEHOLDERS.salutation}
                </ActionButton>
                <ActionButton
                  className="tap add-studio-name"
                  fill="outline"
                  label={`在内容末尾加入占位符 ${CANNED_REPLY_PLACEHOLDERS.studioName}`}
                  onClick={() => addPlaceholder(CANNED_REPLY_PLACEHOLDERS.studioName)}
                >
                  加入 {CANNED_REPLY_PLACEHOLDERS.studioName}
                </ActionButton>
              </View>
              {preview ? (
                <View className="canned-form__preview">
                  <Text className="small muted">插入后的样子（以“王女士”为例）：</Text>
                  <Text className="block canned-form__preview-text">{preview}</Text>
                </View>
              ) : null}
              <View className="row admin-actions">
                <ActionButton
                  className="tap save-canned-reply"
                  type="primary"
                  loading={busy}
                  disabled={busy || !valid || (full && !editing)}
                  onClick={() => void save()}
                >
                  {editing ? '保存修改' : '新增'}
                </ActionButton>
                {editing ? (
                  <ActionButton className="tap" fill="outline" onClick={resetForm}>
                    取消修改
                  </ActionButton>
                ) : null}
              </View>
            </View>
          ) : null}
        </>
      )}
    </View>
  );
}
