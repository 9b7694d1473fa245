import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { ROLE_LABELS, type TicketSummary } from '@mashangshang/shared';
import { api, currentSession, demoSignInEnabled, ensureSignedIn, isH5, signOut } from '../../services/api';
import type { Session } from '../../services/session';
import { PageShell, readLargeText, writeLargeText } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { TicketCard } from '../../components/ticket-card';
import { Button, Cell, Switch } from '../../components/ui';
import { usePagedList } from '../../components/use-paged-list';

/** The resident's own tickets, the large-text setting, and the way to the member and admin pages. */
export default function MinePage() {
  const [session, setSession] = useState<Session | null>(currentSession());
  const [large, setLarge] = useState(readLargeText());
  useDidShow(() => setSession(currentSession()));

  const list = usePagedList<TicketSummary>(async (cursor) => {
    const signedIn = await ensureSignedIn();
    setSession(signedIn);
    if (!signedIn) return { items: [], nextCursor: null };
    return api.tickets({ cursor, limit: 20 });
  }, []);

  const toggleLarge = (on: boolean) => {
    writeLargeText(on);
    setLarge(on);
  };

  return (
    <PageShell>
      {list.items.map((ticket) => (
        <TicketCard
          key={ticket.id}
          ticket={ticket}
          onOpen={() => Taro.navigateTo({ url: `/pages/ticket/index?id=${ticket.id}` })}
        />
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText="您还没有留言，扫一扫工作室二维码就可以留言"
        onRetry={list.refresh}
        hasMore={list.hasMore}
        count={list.items.length}
      />

      <Text className="h2">设置</Text>
      <View className="card">
        <View className="setting-row large-text-row">
          <Text>大字模式（适老化）</Text>
          <Switch checked={large} onChange={toggleLarge} />
        </View>
        <Cell title="查看全部委员工作室" clickable onClick={() => Taro.reLaunch({ url: '/pages/index/index' })} />
        {session?.user.role === 'member' ? (
          <Cell
            title="委员工作台"
            description="回复群众留言"
            clickable
            onClick={() => Taro.navigateTo({ url: '/member/inbox/index' })}
          />
        ) : (
          <Cell
            title="我是委员"
            description="用邀请码绑定委员身份"
            clickable
            onClick={() => Taro.navigateTo({ url: '/member/bind/index' })}
          />
        )}
        {isH5 || session?.user.role === 'admin' ? (
          <Cell title="政协机关管理后台" clickable onClick={() => Taro.navigateTo({ url: '/admin/board/index' })} />
        ) : null}
      </View>
      {session ? (
        <Text className="block muted small">
          当前身份：{ROLE_LABELS[session.user.role]}
          {session.method === 'demo' ? '（演示登录）' : ''}
        </Text>
      ) : null}
      {demoSignInEnabled ? (
        <Button className="btn-block" fill="outline" onClick={() => Taro.navigateTo({ url: '/pages/login/index' })}>
          演示登录 / 切换身份
        </Button>
      ) : null}
      {session && isH5 ? (
        <Button
          className="btn-block"
          fill="none"
          onClick={() => {
            signOut();
            setSession(null);
            void Taro.reLaunch({ url: '/pages/index/index' });
          }}
        >
          退出登录
        </Button>
      ) : null}
    </PageShell>
  );
}
