import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { INVITE_STATUS_LABELS, type AdminInvite, type AdminMember, type InviteResponse } from '@mashangshang/shared';
import { api } from '../../services/api';
import { formatTime } from '../../services/format';
import { PageShell } from '../../components/page-shell';
import { ListState } from '../../components/list-state';
import { Input } from '../../components/ui';
import { usePagedList } from '../../components/use-paged-list';
import { ActionButton, Badge, confirmAction } from '../../member/shared/controls';
import { AdminNav } from '../shared/admin-nav';
import { StudioPicker } from '../shared/studio-picker';
import { useAdminGuard, useAllStudios } from '../shared/use-admin';

/**
 * 邀请码: for a studio's members, a one-time code that binds the member's WeChat (shown once, large,
 * with copy); members not yet on file are added here first.
 */
export default function AdminInvitesPage() {
  const allowed = useAdminGuard();
  const { studios } = useAllStudios(allowed);
  const [studioId, setStudioId] = useState('');
  const [issued, setIssued] = useState<(InviteResponse & { memberName: string }) | null>(null);
  const [name, setName] = useState('');
  const [title, setTitle] = useState('市政协委员');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);

  useLoad((params: Record<string, string | undefined>) => {
    if (params.studioId) setStudioId(params.studioId);
  });
  // Without a chosen studio, start with the first one in use.
  useEffect(() => {
    if (!studioId && studios.length) setStudioId(studios.find((s) => s.active)?.id ?? studios[0]?.id ?? '');
  }, [studios, studioId]);

  const [invites, setInvites] = useState<AdminInvite[]>([]);
  const loadInvites = async (id: string) => {
    if (!allowed || !id) return setInvites([]);
    try {
      setInvites((await api.adminInvites(id)).items);
    } catch {
      // toast already shown; the list stays as it was
    }
  };
  useEffect(() => {
    void loadInvites(studioId);
  }, [studioId, allowed]);

  const revoke = async (invite: { id: string }) => {
    const confirmed = await confirmAction({
      title: '作废邀请码',
      content: '作废后这个邀请码不能再用于绑定。确定作废吗？',
    });
    if (!confirmed) return;
    try {
      await api.revokeInvite(invite.id);
      void Taro.showToast({ title: '已作废', icon: 'success' });
      if (issued?.id === invite.id) setIssued(null);
      await loadInvites(studioId);
    } catch {
      // toast already shown
    }
  };

  const list = usePagedList<AdminMember>(
    (cursor) =>
      allowed && studioId
        ? api.adminMembers({ studioId, cursor, limit: 50 })
        : Promise.resolve({ items: [], nextCursor: null }),
    [allowed, studioId],
  );

  const issue = async (member: AdminMember) => {
    try {
      const invite = await api.createInvite(member.id);
      setIssued({ ...invite, memberName: member.name });
      void Taro.pageScrollTo({ scrollTop: 0, duration: 200 });
      void loadInvites(studioId);
    } catch {
      // toast already shown
    }
  };

  const addMember = async () => {
    setBusy(true);
    try {
      const member = await api.adminCreateMember({
        name: name.trim(),
        title: title.trim(),
        studioIds: [studioId],
        ...(phone.trim() ? { phone: phone.trim() } : {}),
      });
      setName('');
      setPhone('');
      void Taro.showToast({ title: '已添加', icon: 'success' });
      await list.refresh();
      await issue(member);
    } catch {
      // toast already shown
    } finally {
      setBusy(false);
    }
  };

  const studio = studios.find((s) => s.id === studioId);

  return (
    <PageShell className="admin-page">
      <AdminNav current="invites" />
      <Text className="h1">委员邀请码</Text>
      {issued ? (
        <View className="card stack invite-issued">
          <Text>{issued.memberName} 的邀请码（只显示这一次）：</Text>
          <Text className="invite-code-big">{issued.inviteCode}</Text>
          <Text className="muted small">
            有效期至 {formatTime(issued.expiresAt)}，只能使用一次。请委员在小程序“我的 → 我是委员”中输入。
          </Text>
          <View className="row">
            <ActionButton
              className="tap copy-invite"
              type="primary"
              onClick={() => void Taro.setClipboardData({ data: issued.inviteCode })}
            >
              复制邀请码
            </ActionButton>
            <ActionButton
              className="tap revoke-issued"
              type="danger"
              fill="outline"
              onClick={() => void revoke(issued)}
            >
              作废
            </ActionButton>
            <ActionButton className="tap" fill="none" onClick={() => setIssued(null)}>
              关闭
            </ActionButton>
          </View>
        </View>
      ) : null}

      <Text className="h2">选择工作室</Text>
      <StudioPicker studios={studios} value={studioId} onChange={setStudioId} />
      {studios.length === 0 ? <Text className="muted">还没有工作室，请先在“工作室”中新建。</Text> : null}

      {studio ? (
        <>
          <Text className="h2">{studio.name} 的委员</Text>
          {list.items.map((member) => (
            <View key={member.id} className="card stack invite-member" data-member={member.name}>
              <View className="row row--between">
                <Text>
                  {member.name} <Text className="muted small">{member.title}</Text>
                </Text>
                <View className="row">
                  {member.active ? null : <Badge tone="danger">已停用</Badge>}
                  {member.bound ? <Badge tone="info">已绑定微信</Badge> : <Badge tone="warn">未绑定</Badge>}
                </View>
              </View>
              {member.active ? (
                <ActionButton
                  className="btn-block create-invite"
                  type="primary"
                  fill="outline"
                  onClick={() => void issue(member)}
                >
                  {member.bound ? '生成新邀请码（换绑微信）' : '生成邀请码'}
                </ActionButton>
              ) : (
                <Text className="muted small">已停用的委员不能生成邀请码，请先在“委员”中启用。</Text>
              )}
            </View>
          ))}
          <ListState
            loading={list.loading}
            error={list.error}
            empty={!list.loading && !list.error && list.items.length === 0}
            emptyText="这个工作室还没有委员"
            onRetry={list.refresh}
            hasMore={list.hasMore}
            count={list.items.length}
          />

          <Text className="h2">邀请码记录</Text>
          <View className="card invite-records">
            {invites.length === 0 ? <Text className="muted">还没有发过邀请码</Text> : null}
            {invites.map((invite) => (
              <View key={invite.id} className="row row--between invite-record" data-status={invite.status}>
                <View className="stack" style={{ gap: '4px' }}>
                  <View className="row">
                    <Text>{invite.member.name}</Text>
                    <Badge tone={invite.status === 'pending' ? 'info' : 'plain'}>
                      {INVITE_STATUS_LABELS[invite.status]}
                    </Badge>
                  </View>
                  <Text className="muted small">
                    {formatTime(invite.createdAt)} 生成
                    {invite.status === 'pending' ? `，${formatTime(invite.expiresAt)} 前有效` : ''}
                  </Text>
                </View>
                {invite.status === 'pending' ? (
                  <ActionButton
                    className="tap revoke-invite"
                    type="danger"
                    fill="outline"
                    onClick={() => void revoke(invite)}
                  >
                    作废
                  </ActionButton>
                ) : null}
              </View>
            ))}
          </View>

          <Text className="h2">新增委员</Text>
          <View className="card stack">
            <Text className="field__label">姓名</Text>
            <Input
              className="input-box new-member-name"
              placeholder="委员姓名"
              value={name}
              maxLength={40}
              onChange={(value: string) => setName(value)}
            />
            <Text className="field__label">职务/身份</Text>
            <Input
              className="input-box new-member-title"
              placeholder="如：市政协委员"
              value={title}
              maxLength={60}
              onChange={(value: string) => setTitle(value)}
            />
            <Text className="field__label">手机号（选填，加密保存）</Text>
            <Input
              className="input-box"
              type="number"
              placeholder="11 位手机号"
              value={phone}
              maxLength={11}
              onChange={(value: string) => setPhone(value)}
            />
            <ActionButton
              className="btn-block add-member"
              type="primary"
              loading={busy}
              disabled={busy || !name.trim() || (phone.trim() !== '' && !/^1[3-9]\d{9}$/.test(phone.trim()))}
              onClick={() => void addMember()}
            >
              添加并生成邀请码
            </ActionButton>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}
