import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { signInWithPassword } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { Button, Input } from '../../components/ui';

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
    <PageShell>
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
        <Button
          className="btn-block admin-sign-in"
          type="primary"
          loading={busy}
          disabled={busy || !username.trim() || !password}
          onClick={() => void signIn()}
        >
          登录
        </Button>
      </View>
    </PageShell>
  );
}
