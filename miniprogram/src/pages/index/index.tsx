import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { StudioSummary } from '@mashangshang/shared';
import { api } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { SearchBar } from '../../components/ui';
import { usePagedList } from '../../components/use-paged-list';

function decodeScene(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

type Kind = 'town' | 'sector';

/**
 * Home: opened from a studio's mini-program code (`scene`, decoded by the API) or an H5 link
 * (`studioId`) it goes straight to that studio; otherwise it lists studios by town or sector.
 */
export default function Index() {
  const [opening, setOpening] = useState(false);
  const [kind, setKind] = useState<Kind>('town');
  const [group, setGroup] = useState<string>('');
  // What the box shows, and the search it settles into a moment after the last keystroke.
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [groups, setGroups] = useState<{ town: string[]; sector: string[] }>({ town: [], sector: [] });

  useLoad((params: Record<string, string | undefined>) => {
    const scene = params.scene ? decodeScene(params.scene) : '';
    if (scene) {
      setOpening(true);
      api
        .studioByScene(scene)
        .then((studio) => Taro.redirectTo({ url: `/pages/studio/index?id=${studio.id}` }))
        .catch(() => setOpening(false));
    } else if (params.studioId) {
      void Taro.redirectTo({ url: `/pages/studio/index?id=${encodeURIComponent(params.studioId)}` });
    }
  });

  useEffect(() => {
    const settled = setTimeout(() => setQuery(typed.trim()), 300);
    return () => clearTimeout(settled);
  }, [typed]);

  useEffect(() => {
    api
      .studios({ limit: 100 })
      .then((all) => {
        const uniq = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => Boolean(v)))];
        setGroups({
          town: uniq(all.items.filter((s) => s.kind === 'town').map((s) => s.town)),
          sector: uniq(all.items.filter((s) => s.kind === 'sector').map((s) => s.sector)),
        });
      })
      .catch(() => undefined);
  }, []);

  const list = usePagedList<StudioSummary>(
    (cursor) =>
      api.studios({
        cursor,
        limit: 20,
        q: query || undefined,
        town: kind === 'town' && group ? group : undefined,
        sector: kind === 'sector' && group ? group : undefined,
      }),
    [kind, group, query],
  );
  const shown = list.items.filter((studio) => group || studio.kind === kind);

  if (opening) {
    return (
      <PageShell>
        <View className="state">
          <Text className="state__text">正在打开委员工作室…</Text>
        </View>
      </PageShell>
    );
  }

  return (
    <PageShell>
      <View className="hero">
        <Text className="h1 block">码上商 · 有事找委员</Text>
        <Text className="muted block">扫一扫工作室的二维码，或在下面找到您身边的委员工作室，24 小时都可以留言。</Text>
      </View>
      <View className="row row--between">
        <View className="chips">
          {(['town', 'sector'] as const).map((k) => (
            <View key={k} className={`chip${kind === k ? ' chip--on' : ''}`} onClick={() => (setKind(k), setGroup(''))}>
              {k === 'town' ? '镇街工作室' : '界别工作室'}
            </View>
          ))}
        </View>
        <View className="chip" onClick={() => Taro.navigateTo({ url: '/pages/mine/index' })}>
          我的留言
        </View>
      </View>
      <SearchBar
        className="studio-search"
        placeholder="搜索工作室名称"
        value={typed}
        onChange={(value: string) => setTyped(value)}
        onSearch={(value: string) => setQuery(value.trim())}
        onClear={() => (setTyped(''), setQuery(''))}
      />
      <View className="chips" style={{ marginTop: '12px' }}>
        <View className={`chip${group === '' ? ' chip--on' : ''}`} onClick={() => setGroup('')}>
          全部
        </View>
        {groups[kind].map((name) => (
          <View key={name} className={`chip${group === name ? ' chip--on' : ''}`} onClick={() => setGroup(name)}>
            {name}
          </View>
        ))}
      </View>
      {shown.map((studio) => (
        <View
          key={studio.id}
          className="card tap-row studio-card"
          onClick={() => Taro.navigateTo({ url: `/pages/studio/index?id=${studio.id}` })}
        >
          <Text className="h2 block" style={{ margin: 0 }}>
            {studio.name}
          </Text>
          <View className="row muted small">
            <Text>{studio.town ?? studio.sector}</Text>
            <Text>委员 {studio.memberCount} 名</Text>
            {studio.star > 0 ? <Text className="star">{'★'.repeat(studio.star)}</Text> : null}
          </View>
        </View>
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={!list.loading && !list.error && shown.length === 0}
        emptyText="没有找到符合条件的工作室"
        onRetry={list.refresh}
        hasMore={list.hasMore}
        count={shown.length}
      />
    </PageShell>
  );
}
