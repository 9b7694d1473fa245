import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { AdminMember, TicketListQuery, TicketSummary } from '@mashangshang/shared';
import { api, currentSession } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { usePagedList } from '../../components/use-paged-list';
import { ActionButton, TabBar } from '../../member/shared/controls';
import { StaffTicketCard } from '../../member/shared/staff-ticket-card';
import { AdminNav } from '../shared/admin-nav';
import { SearchField } from '../shared/search-field';

const TABS: { key: number; title: string; query: TicketListQuery }[] = [
  { key: 0, title: '超时未答复', query: { overdue: true } },
  { key: 1, title: '待分配', query: { status: 'pending' } },
  // Assigned to someone who will never hear of it (not bound to WeChat, or disabled): move it on.
  { key: 2, title: '无人接收', query: { stranded: true } },
];

/** The office's board: overdue and unassigned tickets across all studios, each reassignable. */
export default function BoardPage() {
  const [tab, setTab] = useState(0);
  const [picking, setPicking] = useState<{ ticketId: string; members: AdminMember[] | null } | null>(null);
  // Any active member of any studio, found by name (a studio with nobody who can receive).
  const [otherName, setOtherName] = useState('');
  const [others, setOthers] = useState<AdminMember[] | null>(null);
  const [allowed] = useState(() => currentSession()?.user.role === 'admin');

  useLoad(() => {
    // Not signed in as an admin: straight to the password page, without a request that would fail.
    if (!allowed) void Taro.redirectTo({ url: '/admin/login/index' });
  });

  const query = TABS[tab]?.query ?? {};
  const list = usePagedList<TicketSummary>(
    (cursor) =>
      allowed ? api.tickets({ ...query, cursor, limit: 20 }) : Promise.resolve({ items: [], nextCursor: null }),
    [tab, allowed],
  );

  useEffect(() => {
    const name = otherName.trim();
    if (!picking || !name) return setOthers(null);
    const settled = setTimeout(() => {
      api
        .adminMembers({ q: name, limit: 20 })
        .then((page) => setOthers(page.items.filter((m) => m.active)))
        .catch(() => setOthers([]));
    }, 300);
    return () => clearTimeout(settled);
  }, [otherName, picking?.ticketId]);

  const pick = async (ticket: TicketSummary) => {
    setOtherName('');
    setPicking({ ticketId: ticket.id, members: null });
    try {
      const page = await api.adminMembers({ studioId: ticket.studio.id, limit: 100 });
      setPicking({ ticketId: ticket.id, members: page.items.filter((m) => m.active) });
    } catch {
      setPicking(null);
    }
  };
  const reassign = async (ticket: TicketSummary, member: AdminMember) => {
    try {
      await api.assign(ticket.id, { memberId: member.id });
      void Taro.showToast({ title: `已改派给${member.name}`, icon: 'success' });
      setPicking(null);
      await list.refresh();
    } catch {
      // toast already shown
    }
  };

  return (
    <PageShell className="admin-page">
      <AdminNav current="board" />
      <Text className="h1">督办</Text>
      <TabBar label="督办的留言" tabs={TABS} value={tab} onChange={setTab} />
      <View style={{ marginTop: '12px' }}>
        {list.items.map((ticket) => (
          <StaffTicketCard
            key={ticket.id}
            ticket={ticket}
            onOpen={() => Taro.navigateTo({ url: `/member/ticket/index?id=${ticket.id}` })}
          >
            {picking?.ticketId === ticket.id ? (
              <View className="member-pick">
                {picking.members === null ? <Text className="muted">正在加载委员…</Text> : null}
                {picking.members?.length === 0 ? <Text className="muted">该工作室没有可接收的委员</Text> : null}
                {[
                  ...(picking.members ?? []),
                  ...(others ?? []).filter((o) => !picking.members?.some((m) => m.id === o.id)),
                ]
                  .filter((m) => m.id !== ticket.assignee?.id)
                  .map((m) => (
                    <ActionButton
                      key={m.id}
                      className="btn-block wrap-text pick-member"
                      fill="outline"
                      onClick={() => void reassign(ticket, m)}
                    >
                      改派给 {m.name}
                      {m.studioIds.includes(ticket.studio.id) ? '' : '（其他工作室）'}
                      {m.bound ? '' : '（未绑定微信）'}
                    </ActionButton>
                  ))}
                <SearchField
                  className="other-member-search"
                  label="按姓名查找其他工作室的委员"
                  value={otherName}
                  onChange={setOtherName}
                />
                {others?.length === 0 ? <Text className="muted">没有找到这个名字的委员</Text> : null}
                <ActionButton className="btn-block" fill="none" onClick={() => setPicking(null)}>
                  取消
                </ActionButton>
              </View>
            ) : (
              <ActionButton
                className="btn-block reassign"
                type="primary"
                fill="outline"
                onClick={() => void pick(ticket)}
              >
                改派
              </ActionButton>
            )}
          </StaffTicketCard>
        ))}
        <ListState
          loading={list.loading}
          error={list.error}
          empty={!list.loading && !list.error && list.items.length === 0}
          emptyText="没有需要督办的留言"
          onRetry={list.refresh}
          hasMore={list.hasMore}
          count={list.items.length}
        />
      </View>
    </PageShell>
  );
}
