import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Tap } from './controls';

const INBOX = '/member/inbox/index';

/**
 * The way back and the way home at the top of a member page: the H5 build has no navigation bar,
 * and a page opened from a WeChat notice has nothing to go back to.
 */
export function StaffBar(props: { home?: { title: string; url: string } }) {
  const home = props.home ?? { title: '委员首页', url: INBOX };
  const back = () => {
    if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
    else void Taro.redirectTo({ url: home.url });
  };
  return (
    <View className="staff-bar" {...{ role: 'navigation', 'aria-label': '返回' }}>
      <Tap className="staff-bar__back" onTap={back} label="返回上一页">
        ‹ 返回
      </Tap>
      <Tap className="staff-bar__home" role="link" onTap={() => void Taro.redirectTo({ url: home.url })}>
        {home.title}
      </Tap>
    </View>
  );
}
