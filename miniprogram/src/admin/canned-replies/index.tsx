import { Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { PageShell } from '../../components/page-shell';
import { ChoiceChips } from '../../member/shared/controls';
import { CannedReplyKeeper } from '../../member/shared/canned-reply-keeper';
import { AdminNav } from '../shared/admin-nav';
import { StudioPicker } from '../shared/studio-picker';
import { useAdminGuard, useAllStudios } from '../shared/use-admin';

type Scope = 'office' | 'studio';

/**
 * 常用回复: the office-wide replies every studio's members can insert, and each studio's own. Members
 * insert them from a ticket's 回复群众 box with 常用回复; the placeholders are filled for that ticket.
 */
export default function AdminCannedRepliesPage() {
  const allowed = useAdminGuard();
  const [scope, setScope] = useState<Scope>('office');
  const [studioId, setStudioId] = useState('');
  const { studios } = useAllStudios(allowed);
  const studio = studios.find((s) => s.id === studioId) ?? null;

  useLoad((params: Record<string, string | undefined>) => {
    if (params.studioId) {
      setScope('studio');
      setStudioId(params.studioId);
    }
  });

  return (
    <PageShell className="admin-page">
      <AdminNav current="replies" />
      <Text className="h1">常用回复</Text>
      <Text className="block muted small page-intro">
        委员在留言页“回复群众”中点“常用回复”即可插入，再按需要修改后发送。全局常用回复提供给所有工作室；工作室的常用回复只提供给本工作室，其负责委员也可以维护。
      </Text>
      <ChoiceChips
        label="维护哪一份常用回复"
        choices={[
          { key: 'office', title: '全局（所有工作室）', className: 'scope-office' },
          { key: 'studio', title: '某个工作室', className: 'scope-studio' },
        ]}
        value={scope}
        onChange={setScope}
      />
      {scope === 'studio' ? <StudioPicker studios={studios} value={studioId} onChange={setStudioId} /> : null}
      {allowed && scope === 'office' ? <CannedReplyKeeper studioId={null} studioName={null} /> : null}
      {allowed && scope === 'studio' && studio ? (
        <CannedReplyKeeper studioId={studio.id} studioName={studio.name} />
      ) : null}
      {scope === 'studio' && !studio ? (
        <Text className="block muted">{studioId ? '正在加载…' : '请先点“更换工作室”选择一个工作室。'}</Text>
      ) : null}
    </PageShell>
  );
}
