import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { fillCannedReply, type CannedReply } from '@mashangshang/shared';
import { api, ApiError, currentSession } from '../../services/api';
import { ActionButton, Tap } from '../shared/controls';
import '../shared/canned-replies.css';

/**
 * 常用回复 beside the reply box: opens the studio's and the office's replies, most used first, each
 * shown as it will read for this ticket; choosing one hands its text, placeholders filled, to the box
 * and counts the use.
 */
export function CannedReplyPicker(props: {
  ticket: { studio: { id: string; name: string }; residentName: string };
  onInsert: (text: string) => void;
}) {
  const { ticket } = props;
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<CannedReply[] | null>(null);
  const [canEdit, setCanEdit] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The name the ticket shows members: the resident's 称呼, 群众, or 匿名群众.
  const fill = (text: string) =>
    fillCannedReply(text, { salutation: ticket.residentName, studioName: ticket.studio.name });

  const load = async () => {
    setError(null);
    try {
      const list = await api.cannedReplies(ticket.studio.id);
      setItems(list.items);
      setCanEdit(list.canEdit);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : '加载失败');
    }
  };
  const toggle = () => {
    const next = !open;
    setOpen(next);
    // Read again on every opening: a colleague may have added one, and the order follows use.
    if (next) void load();
  };
  // Back from keeping the studio's list: show it as it now is.
  useDidShow(() => {
    if (open) void load();
  });
  const choose = (item: CannedReply) => {
    props.onInsert(fill(item.text));
    setOpen(false);
    void api.countCannedReplyUse(item.id).catch(() => undefined);
  };

  // A studio's lead member keeps its list on the member side; an admin in the console.
  const keep = () => {
    const admin = currentSession()?.user.role === 'admin';
    const page = admin ? '/admin/canned-replies/index' : '/member/canned-replies/index';
    void Taro.navigateTo({ url: `${page}?studioId=${ticket.studio.id}` });
  };

  return (
    <View className="canned-picker-box">
      <ActionButton
        className="tap open-canned-replies"
        fill="outline"
        type="primary"
        onClick={toggle}
        {...{ 'aria-expanded': String(open) }}
      >
        {open ? '收起常用回复' : '常用回复'}
      </ActionButton>
      {open ? (
        <View
          className="canned-picker"
          {...{ role: 'group', 'aria-label': '常用回复，常用的在前，选择一条插入回复框' }}
        >
          {items === null ? <Text className="muted">{error ?? '正在加载常用回复…'}</Text> : null}
          {error ? (
            <ActionButton className="tap" fill="outline" onClick={() => void load()}>
              重新加载
            </ActionButton>
          ) : null}
          {items?.length === 0 ? (
            <Text className="muted small">还没有常用回复，可请工作室负责委员或政协机关添加。</Text>
          ) : null}
          {items?.map((item) => (
            <Tap key={item.id} className="canned-picker__option" onTap={() => choose(item)}>
              <Text className="canned-picker__option-title">{item.title}</Text>
              <Text className="canned-picker__option-text">{fill(item.text)}</Text>
            </Tap>
          ))}
          {canEdit ? (
            <Tap className="fold-toggle keep-canned-replies" role="link" onTap={keep}>
              维护本工作室的常用回复
            </Tap>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
