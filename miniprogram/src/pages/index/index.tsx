import { Input, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { StudioSummary } from '@mashangshang/shared';
import { api, ApiError } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { ErrorState, failureOf, type Failure } from '../../components/error-state';
import { Tap } from '../../components/tap';
import { usePagedList } from '../../components/use-paged-list';

function decodeScene(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

type Kind = 'town' | 'sector';

const BAD_CODE: Failure = {
  title: '这个二维码打不开',
  hint: '它不是有效的委员工作室二维码，可能已经停用，或没有扫完整。请对准工作室门口的二维码重新扫一次，或在全部工作室中找到它。',
  retry: false,
};

/** H5: the list's own address in place of the code's, so going back to it shows the list, not the studio again. */
function forgetOpeningLink(): void {
  if (process.env.TARO_ENV !== 'h5') return;
  window.history.replaceState(window.history.state, '', window.location.pathname);
}

/**
 * Home: opened from a studio's mini-program code (`scene`, decoded by the API) or an H5 link
 * (`studioId`) it opens that studio on top of the list (so back leads to the list); otherwise it
 * lists studios by town or sector.
 */
export default function Index() {
  const [opening, setOpening] = useState(false);
  const [codeFailure, setCodeFailure] = useState<{ failure: Failure; scene: string } | null>(null);
  const [kind, setKind] = useState<Kind>('town');
  const [group, setGroup] = useState<string>('');
  // What the box shows, and the search it settles into a moment after the last keystroke.
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [groups, setGroups] = useState<{ town: string[]; sector: string[] }>({ town: [], sector: [] });

  const openStudio = (id: string) => {
    forgetOpeningLink();
    void Taro.navigateTo({ url: `/pages/studio/index?id=${encodeURIComponent(id)}` });
  };

  const openScene = (scene: string) => {
    setOpening(true);
    setCodeFailure(null);
    api
      .studioByScene(scene, true)
      .then((studio) => openStudio(studio.id))
      .catch((error: unknown) => {
        const unknownCode = error instanceof ApiError && (error.statusCode === 404 || error.statusCode === 400);
        setCodeFailure({ failure: unknownCode ? BAD_CODE : failureOf(error), scene });
      })
      .finally(() => setOpening(false));
  };

  useLoad((params: Record<string, string | undefined>) => {
    const scene = params.scene ? decodeScene(params.scene) : '';
    if (scene) openScene(scene);
    else if (params.studioId) openStudio(params.studioId);
  });

  useEffect(() => {
    const settled = setTimeout(() => setQuery(typed.trim()), 300);
    return () => clearTimeout(settled);
  }, [typed]);

  useEffect(() => {
    api
      .studios({ limit: 100 }, true)
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
      api.studios(
        {
          cursor,
          limit: 20,
          q: query || undefined,
          town: kind === 'town' && group ? group : undefined,
          sector: kind === 'sector' && group ? group : undefined,
        },
        // The page says itself, in place of the list, when it cannot load.
        true,
      ),
    [kind, group, query],
  );
  const shown = list.items.filter((studio) => group || studio.kind === kind);

  if (opening) {
    return (
      <PageShell resident="studios">
        <View className="state" role="status">
          <Text className="state__text">正在打开委员工作室…</Text>
        </View>
      </PageShell>
    );
  }

  if (codeFailure) {
    return (
      <PageShell resident="studios" title="二维码打不开">
        <ErrorState
          className="code-error"
          failure={codeFailure.failure}
          onRetry={() => openScene(codeFailure.scene)}
          onHome={() => (forgetOpeningLink(), setCodeFailure(null))}
        />
      </PageShell>
    );
  }

  return (
    <PageShell resident="studios" title="码上商">
      <View className="hero">
        <Text className="h1 block">码上商 · 有事找委员</Text>
        <Text className="hero__text block">
          扫一扫工作室的二维码，或在下面找到您身边的委员工作室，24 小时都可以留言。
        </Text>
      </View>
      <View className="chips" role="radiogroup" ariaLabel="工作室类别">
        {(['town', 'sector'] as const).map((k) => (
          <Tap
            key={k}
            role="radio"
            checked={kind === k}
            className={`chip${kind === k ? ' chip--on' : ''}`}
            onTap={() => (setKind(k), setGroup(''))}
          >
            {k === 'town' ? '镇街工作室' : '界别工作室'}
          </Tap>
        ))}
      </View>
      <View className="search-box" role="search">
        <Input
          className="search-box__input studio-search"
          type="text"
          confirmType="search"
          placeholder="搜索工作室名称，如：长安"
          value={typed}
          nativeProps={{ 'aria-label': '搜索工作室名称', type: 'search' }}
          onInput={(event) => setTyped(event.detail.value)}
          onConfirm={(event) => setQuery(event.detail.value.trim())}
        />
        {typed ? (
          <Tap className="search-box__clear" label="清除搜索内容" onTap={() => (setTyped(''), setQuery(''))}>
            清除
          </Tap>
        ) : null}
      </View>
      <View className="chips" role="radiogroup" ariaLabel={kind === 'town' ? '镇街' : '界别'}>
        <Tap
          role="radio"
          checked={group === ''}
          className={`chip${group === '' ? ' chip--on' : ''}`}
          onTap={() => setGroup('')}
        >
          全部
        </Tap>
        {groups[kind].map((name) => (
          <Tap
            key={name}
            role="radio"
            checked={group === name}
            className={`chip${group === name ? ' chip--on' : ''}`}
            onTap={() => setGroup(name)}
          >
            {name}
          </Tap>
        ))}
      </View>
      <View role="list" className="studio-list" ariaLabel="委员工作室">
        {shown.map((studio) => (
          <View key={studio.id} role="listitem">
            <Tap role="link" className="card tap-row studio-card" onTap={() => openStudio(studio.id)}>
              <Text className="h2 block studio-card__name">{studio.name}</Text>
              <View className="row studio-card__facts">
                <Text>{studio.town ?? studio.sector}</Text>
                <Text>委员 {studio.memberCount} 名</Text>
                {studio.star > 0 ? <Text className="star-text">{studio.star} 星级</Text> : null}
              </View>
            </Tap>
          </View>
        ))}
      </View>
      <ListState
        loading={list.loading}
        error={list.error}
        failure={list.failure}
        empty={!list.loading && !list.error && shown.length === 0}
        emptyText="没有找到符合条件的工作室"
        onRetry={list.refresh}
        hasMore={list.hasMore}
        count={shown.length}
      />
    </PageShell>
  );
}
