import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useEffect, useMemo, useRef, useState } from 'react';
import { slaText, type AdminStudioListQuery, type AdminStudioSummary } from '@mashangshang/shared';
import { api, openAdminFile } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { usePagedList } from '../../components/use-paged-list';
import { ActionButton, Badge, ChoiceChips, Tap, confirmAction } from '../../member/shared/controls';
import { AdminNav } from '../shared/admin-nav';
import { NoReceiverNotice } from '../shared/no-receiver';
import { SearchField } from '../shared/search-field';
import { STUDIO_CREATED_EVENT, studioPlace, useAdminGuard, useAllStudios } from '../shared/use-admin';

type State = NonNullable<AdminStudioListQuery['state']>;
const STATES: { key: State; title: string; className: string }[] = [
  { key: 'active', title: '在用', className: 'state-active' },
  { key: 'retired', title: '已停用', className: 'state-retired' },
  { key: 'all', title: '全部', className: 'state-all' },
];

/** 工作室管理: search, filter by town or sector, create, edit, retire and restore; codes and posters. */
export default function AdminStudiosPage() {
  const allowed = useAdminGuard();
  const [state, setState] = useState<State>('active');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [place, setPlace] = useState<{ town?: string; sector?: string }>({});
  const [placesOpen, setPlacesOpen] = useState(false);
  // The studio just created, shown first whatever the filters (new studios go last in the list order).
  const [created, setCreated] = useState<AdminStudioSummary | null>(null);
  const { studios: all, reload: reloadAll } = useAllStudios(allowed);
  const places = useMemo((): { town?: string; sector?: string }[] => {
    const towns = [...new Set(all.map((s) => s.town).filter((t): t is string => Boolean(t)))];
    const sectors = [...new Set(all.map((s) => s.sector).filter((t): t is string => Boolean(t)))];
    return [...towns.map((town) => ({ town })), ...sectors.map((sector) => ({ sector }))];
  }, [all]);

  const list = usePagedList<AdminStudioSummary>(
    (cursor) =>
      allowed
        ? api.adminStudios({ state, q: search || undefined, ...place, cursor, limit: 20 })
        : Promise.resolve({ items: [], nextCursor: null }),
    [allowed, state, search, place.town, place.sector],
  );

  // The filters may change while a retire or restore is on its way: reload what is shown then, not what was.
  const refreshShown = useRef(list.refresh);
  refreshShown.current = list.refresh;

  /** A studio was just created (back from the form, or sent here with ?created=): clear the filters that could hide it. */
  const showCreated = async (id: string) => {
    setQ('');
    setSearch('');
    setPlace({});
    setState('active');
    try {
      setCreated(await api.adminStudio(id));
      void reloadAll();
    } catch {
      // toast already shown; the list is still there
    }
  };
  useLoad((params: Record<string, string | undefined>) => {
    if (allowed && params.created) void showCreated(params.created);
  });
  useEffect(() => {
    const onCreated = (id: string) => void showCreated(id);
    Taro.eventCenter.on(STUDIO_CREATED_EVENT, onCreated);
    return () => void Taro.eventCenter.off(STUDIO_CREATED_EVENT, onCreated);
  }, []);

  const setActive = async (studio: AdminStudioSummary, active: boolean) => {
    if (!active) {
      const confirmed = await confirmAction({
        title: '停用工作室',
        content: `停用后群众将看不到“${studio.name}”，可以随时恢复。确定停用吗？`,
      });
      if (!confirmed) return;
    }
    try {
      await api.adminUpdateStudio(studio.id, { active });
      void Taro.showToast({ title: active ? '已恢复' : '已停用', icon: 'success' });
      if (created?.id === studio.id) setCreated(null);
      await refreshShown.current();
    } catch {
      // toast already shown
    }
  };

  // Filtering again means the admin has seen the new studio: it takes its place in the list.
  const filterByState = (next: State) => {
    setCreated(null);
    setState(next);
  };
  const filterByPlace = (next: { town?: string; sector?: string }) => {
    setCreated(null);
    setPlace(next);
  };
  const placeName = place.town ?? place.sector ?? '全部镇街和界别';
  const shown = created ? [created, ...list.items.filter((s) => s.id !== created.id)] : list.items;

  return (
    <PageShell className="admin-page">
      <AdminNav current="studios" />
      <View className="row row--between">
        <Text className="h1">工作室管理</Text>
        <ActionButton
          className="tap new-studio"
          type="primary"
          onClick={() => Taro.navigateTo({ url: '/admin/studio-edit/index' })}
        >
          新建工作室
        </ActionButton>
      </View>
      <SearchField
        className="studio-search"
        label="按名称搜索工作室"
        value={q}
        onChange={setQ}
        onSearch={(value) => {
          setCreated(null);
          setSearch(value);
        }}
      />
      <ChoiceChips label="工作室状态" choices={STATES} value={state} onChange={filterByState} />
      {places.length ? (
        <View className="places">
          <Tap className="fold-toggle" onTap={() => setPlacesOpen((o) => !o)}>
            镇街/界别：{placeName}（{placesOpen ? '收起' : '筛选'}）
          </Tap>
          {placesOpen ? (
            <View className="chips" {...{ role: 'group', 'aria-label': '按镇街或界别筛选' }}>
              <Tap
                className={`chip${!place.town && !place.sector ? ' chip--on' : ''}`}
                pressed={!place.town && !place.sector}
                onTap={() => filterByPlace({})}
              >
                全部镇街和界别
              </Tap>
              {places.map((p) => {
                const on = Boolean((p.town && p.town === place.town) || (p.sector && p.sector === place.sector));
                return (
                  <Tap
                    key={`${p.town ?? ''}|${p.sector ?? ''}`}
                    className={`chip${on ? ' chip--on' : ''}`}
                    pressed={on}
                    onTap={() => filterByPlace(p)}
                  >
                    {p.town ?? p.sector}
                  </Tap>
                );
              })}
            </View>
          ) : null}
        </View>
      ) : null}

      {shown.map((studio) => (
        <View
          key={studio.id}
          className={`card stack studio-card${studio.id === created?.id ? ' studio-card--new' : ''}`}
          data-studio={studio.name}
        >
          <View className="row row--between">
            <Text className="studio-card__name">{studio.name}</Text>
            <View className="row">
              {studio.id === created?.id ? <Badge tone="info">刚刚新建</Badge> : null}
              {studio.active ? <Badge tone="ok">在用</Badge> : <Badge tone="plain">已停用</Badge>}
            </View>
          </View>
          <Text className="muted small">
            {studioPlace(studio)} · 委员 {studio.memberCount} 人 · {studio.star} 星 · 答复时限{' '}
            <Text className="studio-card__sla">{slaText(studio)}</Text> · 编码 {studio.code}
          </Text>
          {studio.active && studio.receivingMemberCount === 0 ? <NoReceiverNotice studio={studio} brief /> : null}
          <View className="row admin-actions">
            <ActionButton
              className="tap edit-studio"
              fill="outline"
              onClick={() => Taro.navigateTo({ url: `/admin/studio-edit/index?id=${studio.id}` })}
            >
              编辑
            </ActionButton>
            <ActionButton
              className="tap studio-members"
              fill="outline"
              onClick={() => Taro.redirectTo({ url: `/admin/members/index?studioId=${studio.id}` })}
            >
              委员
            </ActionButton>
            <ActionButton
              className="tap studio-invites"
              fill="outline"
              onClick={() => Taro.redirectTo({ url: `/admin/invites/index?studioId=${studio.id}` })}
            >
              邀请码
            </ActionButton>
            {studio.active ? (
              <>
                <ActionButton
                  className="tap"
                  fill="outline"
                  onClick={() =>
                    void openAdminFile(`/admin/studios/${studio.id}/qrcode`, 'image', `${studio.name}-小程序码.png`)
                  }
                >
                  小程序码
                </ActionButton>
                <ActionButton
                  className="tap"
                  fill="outline"
                  onClick={() =>
                    void openAdminFile(
                      `/admin/studios/${studio.id}/poster?format=pdf`,
                      'pdf',
                      `${studio.name}-海报.pdf`,
                    )
                  }
                >
                  海报
                </ActionButton>
                <ActionButton
                  className="tap retire-studio"
                  type="danger"
                  fill="outline"
                  onClick={() => void setActive(studio, false)}
                >
                  停用
                </ActionButton>
              </>
            ) : (
              <ActionButton className="tap restore-studio" type="primary" onClick={() => void setActive(studio, true)}>
                恢复
              </ActionButton>
            )}
          </View>
        </View>
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={!list.loading && !list.error && shown.length === 0}
        emptyText="没有符合条件的工作室"
        onRetry={list.refresh}
        hasMore={list.hasMore}
        count={shown.length}
      />
    </PageShell>
  );
}
