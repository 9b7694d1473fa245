import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useMemo, useRef, useState } from 'react';
import type { AdminStudioListQuery, AdminStudioSummary } from '@mashangshang/shared';
import { api, openAdminFile } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { Button, SearchBar, Tag } from '../../components/ui';
import { usePagedList } from '../../components/use-paged-list';
import { AdminNav } from '../shared/admin-nav';
import { studioPlace, useAdminGuard, useAllStudios } from '../shared/use-admin';

type State = NonNullable<AdminStudioListQuery['state']>;
const STATES: { key: State; title: string }[] = [
  { key: 'active', title: '在用' },
  { key: 'retired', title: '已停用' },
  { key: 'all', title: '全部' },
];

/** 工作室管理: search, filter by town or sector, create, edit, retire and restore; codes and posters. */
export default function AdminStudiosPage() {
  const allowed = useAdminGuard();
  const [state, setState] = useState<State>('active');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [place, setPlace] = useState<{ town?: string; sector?: string }>({});
  const { studios: all } = useAllStudios(allowed);
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

  const setActive = async (studio: AdminStudioSummary, active: boolean) => {
    if (!active) {
      const { confirm } = await Taro.showModal({
        title: '停用工作室',
        content: `停用后群众将看不到“${studio.name}”，可以随时恢复。确定停用吗？`,
      });
      if (!confirm) return;
    }
    try {
      await api.adminUpdateStudio(studio.id, { active });
      void Taro.showToast({ title: active ? '已恢复' : '已停用', icon: 'success' });
      await refreshShown.current();
    } catch {
      // toast already shown
    }
  };

  return (
    <PageShell className="admin-page">
      <AdminNav current="studios" />
      <View className="row row--between">
        <Text className="h1">工作室管理</Text>
        <Button
          className="tap new-studio"
          type="primary"
          onClick={() => Taro.navigateTo({ url: '/admin/studio-edit/index' })}
        >
          新建工作室
        </Button>
      </View>
      <SearchBar
        className="studio-search"
        placeholder="按名称搜索"
        value={q}
        onChange={(value: string) => setQ(value)}
        onSearch={(value: string) => setSearch(value.trim())}
        onClear={() => setSearch('')}
      />
      <View className="chips">
        {STATES.map((s) => (
          <View
            key={s.key}
            className={`chip state-${s.key}${state === s.key ? ' chip--on' : ''}`}
            onClick={() => setState(s.key)}
          >
            {s.title}
          </View>
        ))}
      </View>
      {places.length ? (
        <View className="chips">
          <View className={`chip${!place.town && !place.sector ? ' chip--on' : ''}`} onClick={() => setPlace({})}>
            全部镇街和界别
          </View>
          {places.map((p) => {
            const on = (p.town && p.town === place.town) || (p.sector && p.sector === place.sector);
            return (
              <View
                key={`${p.town ?? ''}|${p.sector ?? ''}`}
                className={`chip${on ? ' chip--on' : ''}`}
                onClick={() => setPlace(p)}
              >
                {p.town ?? p.sector}
              </View>
            );
          })}
        </View>
      ) : null}

      {list.items.map((studio) => (
        <View key={studio.id} className="card stack studio-card" data-studio={studio.name}>
          <View className="row row--between">
            <Text className="studio-card__name">{studio.name}</Text>
            {studio.active ? <Tag type="success">在用</Tag> : <Tag type="default">已停用</Tag>}
          </View>
          <Text className="muted small">
            {studioPlace(studio)} · 委员 {studio.memberCount} 人 · {studio.star} 星 · 编码 {studio.code}
          </Text>
          <View className="row admin-actions">
            <Button
              className="tap edit-studio"
              fill="outline"
              onClick={() => Taro.navigateTo({ url: `/admin/studio-edit/index?id=${studio.id}` })}
            >
              编辑
            </Button>
            <Button
              className="tap studio-members"
              fill="outline"
              onClick={() => Taro.redirectTo({ url: `/admin/members/index?studioId=${studio.id}` })}
            >
              委员
            </Button>
            <Button
              className="tap studio-invites"
              fill="outline"
              onClick={() => Taro.redirectTo({ url: `/admin/invites/index?studioId=${studio.id}` })}
            >
              邀请码
            </Button>
            {studio.active ? (
              <>
                <Button
                  className="tap"
                  fill="outline"
                  onClick={() =>
                    void openAdminFile(`/admin/studios/${studio.id}/qrcode`, 'image', `${studio.name}-小程序码.png`)
                  }
                >
                  小程序码
                </Button>
                <Button
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
                </Button>
                <Button
                  className="tap retire-studio"
                  type="danger"
                  fill="outline"
                  onClick={() => void setActive(studio, false)}
                >
                  停用
                </Button>
              </>
            ) : (
              <Button className="tap restore-studio" type="primary" onClick={() => void setActive(studio, true)}>
                恢复
              </Button>
            )}
          </View>
        </View>
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText="没有符合条件的工作室"
        onRetry={list.refresh}
        hasMore={list.hasMore}
        count={list.items.length}
      />
    </PageShell>
  );
}
