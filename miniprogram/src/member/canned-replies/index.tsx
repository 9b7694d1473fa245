import { Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { api } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { CannedReplyKeeper } from '../shared/canned-reply-keeper';
import { StaffBar } from '../shared/staff-bar';

/**
 * A studio's 常用回复 kept by its lead members (opened from 常用回复 in a ticket's reply box):
 * the same list and form the office has, for this studio only. Other members see the list.
 */
export default function MemberCannedRepliesPage() {
  const [studio, setStudio] = useState<{ id: string; name: string } | null>(null);
  const [missing, setMissing] = useState(false);

  useLoad((params: Record<string, string | undefined>) => {
    const id = params.studioId;
    if (!id) {
      setMissing(true);
      return;
    }
    api
      .studio(id, true)
      .then((detail) => setStudio({ id: detail.id, name: detail.name }))
      .catch(() => setStudio({ id, name: '本工作室' }));
  });

  return (
    <PageShell className="staff-page">
      <StaffBar />
      <Text className="h1">{studio ? `${studio.name}的常用回复` : '常用回复'}</Text>
      <Text className="block muted small page-intro">
        委员在留言页“回复群众”中点“常用回复”即可插入本工作室的和全局的常用回复，再按需要修改后发送。全局常用回复由政协机关维护。
      </Text>
      {missing ? <Text className="block muted">请从留言页的“常用回复”进入。</Text> : null}
      {studio ? <CannedReplyKeeper studioId={studio.id} studioName={studio.name} /> : null}
    </PageShell>
  );
}
