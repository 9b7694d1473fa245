import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { signInWithPassword } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { Input } from '../../components/ui';
import { ActionButton, Tap } from '../../member/shared/controls';
import '../shared/admin.css';

/** Password sign-in for the CPPCC office (the web console). */
export default function AdminLoginPage() {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  const signIn = async () => {
    setBusy(true);
    try {
      await signInWithPassword(username.trim(), password);
      void Taro.redirectTo({ url: '/admin/board/index' });
    } catch {
      // toast already shown
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell className="admin-page">
      <Text className="h1">政协机关管理后台</Text>
      <View className="card stack">
        <Text className="field__label">用户名</Text>
        <Input
          className="input-box admin-username"
          placeholder="请输入用户名"
          value={username}
          onChange={(value: string) => setUsername(value)}
        />
        <Text className="field__label">密码</Text>
        <Input
          className="input-box admin-password"
          type="password"
          placeholder="请输入密码"
          value={password}
          onChange={(value: string) => setPassword(value)}
          onConfirm={() => void signIn()}
        />
        <ActionButton
          className="btn-block admin-sign-in"
          type="primary"
          loading={busy}
          disabled={busy || !username.trim() || !password}
          onClick={() => void signIn()}
        >
          登录
        </ActionButton>
      </View>
      {/* Signed out there is no admin menu: the way out is the residents' home. */}
      <Tap className="fold-toggle" role="link" onTap={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
        返回群众首页
      </Tap>
    </PageShell>
  );
}
