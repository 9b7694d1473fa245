import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { demoSignInEnabled, signInSilently, signInWithDemoCode, taroStore } from '../../services/api';
import { demoCode } from '../../services/session';
import { PageShell } from '../../components/page-shell';
import { Button, Input } from '../../components/ui';

/**
 * Sign-in. In WeChat: wx.login. In H5 outside production: the demo sign-in, which sends a code to
 * /auth/wechat exactly like wx.login would (the same code is always the same person).
 */
export default function LoginPage() {
  const [code, setCode] = useState(() => (demoSignInEnabled ? demoCode(taroStore) : ''));
  const [busy, setBusy] = useState(false);

  const done = () => {
    void Taro.showToast({ title: '已登录', icon: 'success' });
    const pages = Taro.getCurrentPages();
    if (pages.length > 1) void Taro.navigateBack();
    else void Taro.reLaunch({ url: '/pages/mine/index' });
  };

  const signIn = async () => {
    setBusy(true);
    try {
      if (demoSignInEnabled) await signInWithDemoCode(code.trim());
      else await signInSilently();
      done();
    } catch {
      // toast already shown
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell resident="other" title="登录">
      <Text className="h1" role="heading" ariaLevel="2">
        登录码上商
      </Text>
      {demoSignInEnabled ? (
        <View className="card stack">
          <Text className="muted">
            演示环境：用一个“微信登录凭证”登录，同一个凭证总是同一个人。换一个凭证即可扮演另一位群众或委员。
          </Text>
          <Input
            className="input-box demo-code"
            value={code}
            onChange={(value: string) => setCode(value)}
            placeholder="演示登录凭证"
            nativeProps={{ 'aria-label': '演示登录凭证' }}
          />
          <Button
            className="btn-block demo-sign-in"
            type="primary"
            loading={busy}
            disabled={busy || !code.trim()}
            onClick={() => void signIn()}
          >
            演示登录
          </Button>
        </View>
      ) : (
        <Button className="btn-block" type="primary" loading={busy} onClick={() => void signIn()}>
          微信一键登录
        </Button>
      )}
      <Button className="btn-block" fill="none" onClick={() => Taro.navigateTo({ url: '/admin/login/index' })}>
        政协机关工作人员登录
      </Button>
    </PageShell>
  );
}
