import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import type { AdminMember } from '@mashangshang/shared';
import { api } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { usePagedList } from '../../components/use-paged-list';
import { ActionButton, Badge, Tap, confirmAction } from '../../member/shared/controls';
import { AdminNav } from '../shared/admin-nav';
import { SearchField } from '../shared/search-field';
import { StudioPicker } from '../shared/studio-picker';
import { useAdminGuard, useAllStudios } from '../shared/use-admin';

/** 委员管理: members by studio or name, their studios, disable/enable, and studio membership. */
export default function AdminMembersPage() {
  const allowed = useAdminGuard();
  const [studioId, setStudioId] = useState('');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<{ memberId: string; studioIds: string[] } | null>(null);
  const { studios } = useAllStudios(allowed);
  const nameOf = (id: string) => studios.find((s) => s.id === id)?.name ?? '（已删除的工作室）';

  useLoad((params: Record<string, string | undefined>) => {
    if (params.studioId) setStudioId(params.studioId);
  });

  const list = usePagedList<AdminMember>(
    (cursor) =>
      allowed
        ? api.adminMembers({ studioId: studioId || undefined, q: search || undefined, cursor, limit: 20 })
        : Promise.resolve({ items: [], nextCursor: null }),
    [allowed, studioId, search],
  );

  const replace = (member: AdminMember) =>
    list.setItems((items) => items.map((item) => (item.id === member.id ? member : item)));

  const setActive = async (member: AdminMember, active: boolean) => {
    if (!active) {
      const confirmed = await confirmAction({
        title: '停用委员',
        content: `停用后${member.name}将立即失去委员端权限，可以随时重新启用。确定停用吗？`,
      });
      if (!confirmed) return;
    }
    try {
      replace(await api.adminUpdateMember(member.id, { active }));
      void Taro.showToast({ title: active ? '已启用' : '已停用', icon: 'success' });
    } catch {
      // toast already shown
    }
  };

  const saveStudios = async (member: AdminMember) => {
    if (!editing || editing.studioIds.length === 0) return;
    try {
      replace(await api.adminUpdateMember(member.id, { studioIds: editing.studioIds }));
      setEditing(null);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch {
      // toast already shown
    }
  };

  const toggleStudio = (id: string) =>
    setEditing((current) =>
      current
        ? {
            ...current,
            studioIds: current.studioIds.includes(id)
              ? current.studioIds.filter((s) => s !== id)
              : [...current.studioIds, id],
          }
        : current,
    );

  return (
    <PageShell className="admin-page">
      <AdminNav current="members" />
      <View className="row row--between">
        <Text className="h1">委员管理</Text>
        <ActionButton
          className="tap"
          type="primary"
          fill="outline"
          onClick={() => Taro.redirectTo({ url: `/admin/invites/index${studioId ? `?studioId=${studioId}` : ''}` })}
        >
          新增委员 / 邀请码
        </ActionButton>
      </View>
      <SearchField className="member-search" label="按姓名搜索委员" value={q} onChange={setQ} onSearch={setSearch} />
      <StudioPicker studios={studios} value={studioId} onChange={setStudioId} allowAll />

      {list.items.map((member) => (
        <View key={member.id} className="card stack member-card" data-member={member.name}>
          <View className="row row--between">
            <Text className="member-card__name">
              {member.name} <Text className="muted small">{member.title}</Text>
            </Text>
            <View className="row">
              {member.active ? (
                <Badge tone="ok">在职</Badge>
              ) : (
                <Badge tone="danger" className="member-disabled">
                  已停用
                </Badge>
              )}
              {member.bound ? <Badge tone="info">已绑定微信</Badge> : <Badge tone="warn">未绑定</Badge>}
            </View>
          </View>
          {member.phoneMasked ? <Text className="muted small">手机：{member.phoneMasked}</Text> : null}
          <Text className="small member-studios">
            所属工作室：
            {member.studioIds.map((id) => `${nameOf(id)}${member.leadOf.includes(id) ? '（召集人）' : ''}`).join('、')}
          </Text>

          {editing?.memberId === member.id ? (
            <View className="stack">
              <Text className="field__label">选择所属工作室（至少一个）</Text>
              <View className="chips" {...{ role: 'group', 'aria-label': '所属工作室' }}>
                {studios.map((studio) => (
                  <Tap
                    key={studio.id}
                    className={`chip${editing.studioIds.includes(studio.id) ? ' chip--on' : ''}`}
                    pressed={editing.studioIds.includes(studio.id)}
                    onTap={() => toggleStudio(studio.id)}
                  >
                    {studio.name}
                  </Tap>
                ))}
              </View>
              <View className="row">
                <ActionButton
                  className="tap save-member-studios"
                  type="primary"
                  disabled={editing.studioIds.length === 0}
                  onClick={() => void saveStudios(member)}
                >
                  保存
                </ActionButton>
                <ActionButton className="tap" fill="none" onClick={() => setEditing(null)}>
                  取消
                </ActionButton>
              </View>
            </View>
          ) : (
            <View className="row admin-actions">
              <ActionButton
                className="tap edit-member-studios"
                fill="outline"
                onClick={() => setEditing({ memberId: member.id, studioIds: member.studioIds })}
              >
                调整工作室
              </ActionButton>
              {member.active ? (
                <ActionButton
                  className="tap disable-member"
                  type="danger"
                  fill="outline"
                  onClick={() => void setActive(member, false)}
                >
                  停用
                </ActionButton>
              ) : (
                <ActionButton className="tap enable-member" type="primary" onClick={() => void setActive(member, true)}>
                  启用
                </ActionButton>
              )}
            </View>
          )}
        </View>
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText="没有符合条件的委员"
        onRetry={list.refresh}
        hasMore={list.hasMore}
        count={list.items.length}
      />
    </PageShell>
  );
}
