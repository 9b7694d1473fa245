import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { TicketStatus, TicketSummary } from '@mashangshang/shared';
import { api, currentSession, ensureSignedIn, requestNoticeConsent } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { NotAMember } from '../shared/not-a-member';
import { ListState } from '../../components/list-state';
import { usePagedList } from '../../components/use-paged-list';
import { ActionButton, TabBar } from '../shared/controls';
import { StaffBar } from '../shared/staff-bar';
import { StaffTicketCard } from '../shared/staff-ticket-card';

const TABS: { key: TicketStatus; title: string }[] = [
  { key: 'assigned', title: '待回复' },
  { key: 'answered', title: '已回复' },
  { key: 'resolved', title: '已办结' },
];

/** The member's inbox: tickets of their studios by state, overdue ones marked. */
export default function InboxPage() {
  const [status, setStatus] = useState<TicketStatus>('assigned');
  const [unread, setUnread] = useState(0);
  const [isMember, setIsMember] = useState(true);

  const list = usePagedList<TicketSummary>(
    async (cursor) => {
      const session = currentSession() ?? (await ensureSignedIn());
      if (!session || session.user.role !== 'member') {
        setIsMember(false);
        return { items: [], nextCursor: null };
      }
      setIsMember(true);
      return api.tickets({ status, cursor, limit: 20 });
    },
    [status],
  );
  useDidShow(() => {
    if (currentSession()?.user.role === 'member')
      api
        .notifications({ unread: true, limit: 1 })
        .then((page) => setUnread(page.unreadCount))
        .catch(() => undefined);
  });

  if (!isMember) return <NotAMember />;

  return (
    <PageShell className="staff-page">
      <StaffBar home={{ title: '我的', url: '/pages/mine/index' }} />
      <View className="row inbox-actions">
        <ActionButton className="tap" fill="outline" onClick={() => Taro.navigateTo({ url: '/member/notices/index' })}>
          消息{unread ? `（${unread} 条未读）` : ''}
        </ActionButton>
        <ActionButton
          className="tap open-studio-stats"
          fill="outline"
          onClick={() => Taro.navigateTo({ url: '/member/stats/index' })}
        >
          本工作室统计
        </ActionButton>
        {process.env.TARO_ENV === 'weapp' ? (
          <ActionButton
            className="tap"
            fill="none"
            onClick={() => void requestNoticeConsent(['ticket_assigned', 'deadline_reminder', 'ticket_reopened'])}
          >
            开启新留言提醒
          </ActionButton>
        ) : null}
      </View>
      <TabBar label="留言状态" tabs={TABS} value={status} onChange={setStatus} />
      <View style={{ marginTop: '12px' }}>
        {list.items.map((ticket) => (
          <StaffTicketCard
            key={ticket.id}
            ticket={ticket}
            onOpen={() => Taro.navigateTo({ url: `/member/ticket/index?id=${ticket.id}` })}
          />
        ))}
        <ListState
          loading={list.loading}
          error={list.error}
          empty={!list.loading && !list.error && list.items.length === 0}
          emptyText="这里暂时没有留言"
          onRetry={list.refresh}
          hasMore={list.hasMore}
          count={list.items.length}
        />
      </View>
    </PageShell>
  );
}
