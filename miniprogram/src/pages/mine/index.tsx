import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { ROLE_LABELS, type TicketSummary } from '@mashangshang/shared';
import { api, currentSession, demoSignInEnabled, ensureSignedIn, isH5, signOut } from '../../services/api';
import type { Session } from '../../services/session';
import { PageShell, readLargeText, writeLargeText } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { TicketCard } from '../../components/ticket-card';
import { Tap } from '../../components/tap';
import { Toggle } from '../../components/toggle';
import { Button } from '../../components/ui';
import { usePagedList } from '../../components/use-paged-list';

/** One line of the settings card: a link with what it is for under it. */
function LinkRow(props: { title: string; description?: string; onTap: () => void }) {
  return (
    <Tap role="link" className="link-row" onTap={props.onTap}>
      <View className="link-row__text">
        <Text className="block">{props.title}</Text>
        {props.description ? <Text className="block muted small">{props.description}</Text> : null}
      </View>
      <Text className="link-row__arrow" ariaHidden="true">
        ›
      </Text>
    </Tap>
  );
}

/** The resident's own tickets, the large-text setting, and the way to the member and admin pages. */
export default function MinePage() {
  const [session, setSession] = useState<Session | null>(currentSession());
  const [large, setLarge] = useState(readLargeText());
  useDidShow(() => setSession(currentSession()));

  const list = usePagedList<TicketSummary>(async (cursor) => {
    const signedIn = await ensureSignedIn();
    setSession(signedIn);
    if (!signedIn) return { items: [], nextCursor: null };
    // Silent: the page says itself, in place of the list, when it cannot load.
    return api.tickets({ cursor, limit: 20 }, true);
  }, []);

  const toggleLarge = (on: boolean) => {
    writeLargeText(on);
    setLarge(on);
  };

  return (
    <PageShell resident="mine" title="我的留言">
      <Text className="h1 block" role="heading" ariaLevel="2">
        我的留言
      </Text>
      <View role="list" ariaLabel="我的留言">
        {list.items.map((ticket) => (
          <View key={ticket.id} role="listitem">
            <TicketCard
              ticket={ticket}
              onOpen={() => Taro.navigateTo({ url: `/pages/ticket/index?id=${ticket.id}` })}
            />
          </View>
        ))}
      </View>
      <ListState
        loading={list.loading}
        error={list.error}
        failure={list.failure}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText="您还没有留言，扫一扫工作室二维码就可以留言"
        onRetry={list.refresh}
        hasMore={list.hasMore}
        count={list.items.length}
      />

      <Text className="h2" role="heading" ariaLevel="2">
        设置
      </Text>
      <View className="card">
        <Toggle className="large-text-row" label="大字模式（适老化）" checked={large} onChange={toggleLarge} />
        {session?.user.role === 'member' ? (
          <LinkRow
            title="委员工作台"
            description="回复群众留言"
            onTap={() => Taro.navigateTo({ url: '/member/inbox/index' })}
          />
        ) : (
          <LinkRow
            title="我是委员"
            description="用邀请码绑定委员身份"
            onTap={() => Taro.navigateTo({ url: '/member/bind/index' })}
          />
        )}
        {isH5 || session?.user.role === 'admin' ? (
          <LinkRow title="政协机关管理后台" onTap={() => Taro.navigateTo({ url: '/admin/board/index' })} />
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
