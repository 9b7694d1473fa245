import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { NOTICE_TITLES } from '@mashangshang/shared';
import { api } from '../../services/api';
import { formatTime } from '../../services/format';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { usePagedList } from '../../components/use-paged-list';
import { ActionButton } from '../../member/shared/controls';
import { AdminNav } from '../shared/admin-nav';
import { useAdminGuard } from '../shared/use-admin';

type FailedNotice = Awaited<ReturnType<typeof api.failedNotices>>['items'][number];

/** WeChat notices that ran out of retries, with a way to send each again. */
export default function FailedNoticesPage() {
  const allowed = useAdminGuard();
  const list = usePagedList<FailedNotice>(
    (cursor) => (allowed ? api.failedNotices({ cursor }) : Promise.resolve({ items: [], nextCursor: null })),
    [allowed],
  );

  const retry = async (notice: FailedNotice) => {
    try {
      await api.retryNotice(notice.id);
      void Taro.showToast({ title: '已重新发送', icon: 'success' });
      list.setItems((items) => items.filter((item) => item.id !== notice.id));
    } catch {
      // toast already shown
    }
  };

  return (
    <PageShell className="admin-page">
      <AdminNav current="notices" />
      <Text className="h1">发送失败的通知</Text>
      {list.items.map((notice) => (
        <View key={notice.id} className="card stack">
          <Text className="notice__title">{NOTICE_TITLES[notice.kind]}</Text>
          <Text className="small">
            {notice.ticketNo} · 接收人：{notice.recipient} · 已尝试 {notice.attempts} 次
          </Text>
          <Text className="small warn">失败原因：{notice.lastError}</Text>
          <Text className="muted small">{formatTime(notice.createdAt)}</Text>
          <ActionButton
            className="btn-block retry-notice"
            type="primary"
            fill="outline"
            onClick={() => void retry(notice)}
          >
            重新发送
          </ActionButton>
        </View>
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText="没有发送失败的通知"
        onRetry={list.refresh}
        hasMore={list.hasMore}
        count={list.items.length}
      />
    </PageShell>
  );
}
