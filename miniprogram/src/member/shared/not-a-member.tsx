import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from '../../components/page-shell';
import { ActionButton } from './controls';
import { StaffBar } from './staff-bar';

/** What a member page shows to a signed-in user not bound to a member record: the way to bind. */
export function NotAMember() {
  return (
    <PageShell className="staff-page">
      <StaffBar home={{ title: '我的', url: '/pages/mine/index' }} />
      <View className="state">
        <Text className="state__text">您还不是委员，或尚未绑定委员身份</Text>
        <ActionButton className="tap" type="primary" onClick={() => Taro.redirectTo({ url: '/member/bind/index' })}>
          用邀请码绑定
        </ActionButton>
      </View>
    </PageShell>
  );
}
