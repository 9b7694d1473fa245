import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { TicketStatus, TicketSummary } from '@mashangshang/shared';
import { api, currentSession, ensureSignedIn, requestNoticeConsent } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { NotAMember } from '../shared/not-a-member';
import { ListState } from '../../components/list-state';
import { TicketCard } from '../../components/ticket-card';
import { Button, Tabs } from '../../components/ui';
import { usePagedList } from '../../components/use-paged-list';

const TABS: { status: TicketStatus; title: string }[] = [
  { status: 'assigned', title: '待回复' },
  { status: 'answered', title: '已回复' },
  { status: 'resolved', title: '已办结' },
];

/** The member's inbox: tickets of their studios by state, overdue ones marked. */
export default function InboxPage() {
  const [tab, setTab] = useState(0);
  const [unread, setUnread] = useState(0);
  const [isMember, setIsMember] = useState(true);
  const status = TABS[tab]?.status ?? 'assigned';

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
    <PageShell>
      <View className="row row--between">
        <Button className="tap" fill="outline" onClick={() => Taro.navigateTo({ url: '/member/notices/index' })}>
          消息{unread ? `（${unread} 条未读）` : ''}
        </Button>
        <Button
          className="tap open-studio-stats"
          fill="outline"
          onClick={() => Taro.navigateTo({ url: '/member/stats/index' })}
        >
          本工作室统计
        </Button>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button
            className="tap"
            fill="none"
            onClick={() => void requestNoticeConsent(['ticket_assigned', 'deadline_reminder', 'ticket_reopened'])}
          >
            开启新留言提醒
          </Button>
        ) : null}
      </View>
      <Tabs value={tab} onChange={(value: string | number) => setTab(Number(value))}>
        {TABS.map((t) => (
          <Tabs.TabPane key={t.status} title={t.title} />
        ))}
      </Tabs>
      <View style={{ marginTop: '12px' }}>
        {list.items.map((ticket) => (
          <TicketCard
            key={ticket.id}
            ticket={ticket}
            showDue
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
