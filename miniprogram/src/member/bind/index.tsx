import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { bindInvite, ensureSignedIn } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { Input } from '../../components/ui';
import { ActionButton } from '../shared/controls';
import { StaffBar } from '../shared/staff-bar';

/** A member binds this WeChat account to their member record with the invite code from the CPPCC office. */
export default function BindPage() {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);

  const bind = async () => {
    setBusy(true);
    try {
      if (!(await ensureSignedIn())) return;
      await bindInvite(code);
      void Taro.showToast({ title: '绑定成功', icon: 'success' });
      void Taro.redirectTo({ url: '/member/inbox/index' });
    } catch {
      // toast already shown
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell className="staff-page">
      <StaffBar home={{ title: '我的', url: '/pages/mine/index' }} />
      <Text className="h1">绑定委员身份</Text>
      <View className="card stack">
        <Text className="muted">请输入政协机关发给您的 8 位邀请码。一个邀请码只能使用一次。</Text>
        <Input
          className="input-box invite-code"
          placeholder="邀请码"
          value={code}
          maxLength={32}
          onChange={(value: string) => setCode(value.toUpperCase())}
        />
        <ActionButton
          className="btn-block bind-submit"
          type="primary"
          loading={busy}
          disabled={busy || code.trim().length < 4}
          onClick={() => void bind()}
        >
          绑定
        </ActionButton>
      </View>
    </PageShell>
  );
}
