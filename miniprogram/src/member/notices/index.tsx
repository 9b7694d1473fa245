import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { NotificationView } from '@mashangshang/shared';
import { api, currentSession } from '../../services/api';
import { formatTime } from '../../services/format';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { usePagedList } from '../../components/use-paged-list';
import { ActionButton, Badge, Tap } from '../shared/controls';
import { StaffBar } from '../shared/staff-bar';
import { WechatReminder } from './wechat-reminder';

/** In-app notices: what WeChat messages said, also when a WeChat message could not be delivered. */
export default function NoticesPage() {
  const list = usePagedList<NotificationView>((cursor) => api.notifications({ cursor, limit: 20 }), []);
  const ticketPage = currentSession()?.user.role === 'resident' ? '/pages/ticket/index' : '/member/ticket/index';

  const readAll = async () => {
    try {
      await api.markAllRead();
      list.setItems((items) => items.map((item) => ({ ...item, readAt: item.readAt ?? new Date().toISOString() })));
    } catch {
      // toast already shown
    }
  };

  // Residents read their notices here too (their replies and ratings); their way home is 我的.
  const resident = currentSession()?.user.role === 'resident';
  return (
    <PageShell className="staff-page">
      <StaffBar home={resident ? { title: '我的', url: '/pages/mine/index' } : undefined} />
      <View className="row row--between">
        <Text className="h2" style={{ margin: 0 }}>
          消息
        </Text>
        <ActionButton className="tap" fill="none" onClick={() => void readAll()}>
          全部已读
        </ActionButton>
      </View>
      {currentSession()?.user.role === 'member' ? <WechatReminder /> : null}
      {list.items.map((notice) => (
        <Tap
          key={notice.id}
          className={`card notice${notice.readAt ? '' : ' notice--unread'}`}
          label={`${notice.readAt ? '' : '未读，'}${notice.title}：${notice.body}，留言 ${notice.ticketNo}`}
          onTap={() => Taro.navigateTo({ url: `${ticketPage}?id=${notice.ticketId}` })}
        >
          <View className="notice__body">
            <View className="row row--between">
              <Text className="notice__title">{notice.title}</Text>
              {notice.readAt ? null : <Badge tone="danger">新</Badge>}
            </View>
            <Text className="block">{notice.body}</Text>
            <Text className="muted small">
              {notice.ticketNo} · {formatTime(notice.createdAt)}
            </Text>
          </View>
        </Tap>
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText="暂时没有消息"
        onRetry={list.refresh}
        hasMore={list.hasMore}
        count={list.items.length}
      />
    </PageShell>
  );
}
