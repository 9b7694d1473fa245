import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { NotificationView } from '@mashangshang/shared';
import { api, currentSession } from '../../services/api';
import { formatTime } from '../../services/format';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { Button } from '../../components/ui';
import { usePagedList } from '../../components/use-paged-list';

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

  return (
    <PageShell>
      <View className="row row--between">
        <Text className="h2" style={{ margin: 0 }}>
          消息
        </Text>
        <Button className="tap" fill="none" onClick={() => void readAll()}>
          全部已读
        </Button>
      </View>
      {list.items.map((notice) => (
        <View
          key={notice.id}
          className={`card tap-row${notice.readAt ? '' : ' notice--unread'}`}
          onClick={() => Taro.navigateTo({ url: `${ticketPage}?id=${notice.ticketId}` })}
        >
          <View className="row row--between">
            <Text className="notice__title">{notice.title}</Text>
            {notice.readAt ? null : <Text className="pill-new">新</Text>}
          </View>
          <Text className="block">{notice.body}</Text>
          <Text className="muted small">
            {notice.ticketNo} · {formatTime(notice.createdAt)}
          </Text>
        </View>
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
