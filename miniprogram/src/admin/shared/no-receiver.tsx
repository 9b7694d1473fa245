import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ActionButton, Badge } from '../../member/shared/controls';

/**
 * A studio in use with no member who can receive its tickets (none active and bound to WeChat): its
 * new tickets wait as 待分配 until the office reassigns them. Says so, and what fixes it.
 */
export function NoReceiverNotice(props: { studio: { id: string; memberCount: number }; brief?: boolean }) {
  const { studio } = props;
  const why = studio.memberCount === 0 ? '这个工作室还没有委员' : '这个工作室的在职委员都还没有绑定微信';
  const fix =
    studio.memberCount === 0
      ? '请添加委员并生成邀请码，委员在小程序“我的 → 我是委员”中绑定后即可接收留言。'
      : '请给委员生成邀请码，委员在小程序“我的 → 我是委员”中绑定后即可接收留言。';
  return (
    <View className="no-receiver no-receiver-warning">
      <View className="row">
        <Badge tone="warn">无可接收委员</Badge>
      </View>
      <Text className="no-receiver__text">
        {why}，新留言将进入“待分配”，需要机关在督办中改派。{props.brief ? '' : fix}
      </Text>
      <View className="row">
        <ActionButton
          className="tap invite-receiver"
          type="primary"
          fill="outline"
          onClick={() => Taro.redirectTo({ url: `/admin/invites/index?studioId=${studio.id}` })}
        >
          {studio.memberCount === 0 ? '添加委员' : '生成邀请码'}
        </ActionButton>
      </View>
    </View>
  );
}
