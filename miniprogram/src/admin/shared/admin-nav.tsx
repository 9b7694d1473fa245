import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { signOut } from '../../services/api';

const SECTIONS = [
  { key: 'board', title: '督办', url: '/admin/board/index' },
  { key: 'studios', title: '工作室', url: '/admin/studios/index' },
  { key: 'members', title: '委员', url: '/admin/members/index' },
  { key: 'invites', title: '邀请码', url: '/admin/invites/index' },
  { key: 'notices', title: '通知', url: '/admin/notices/index' },
] as const;

export type AdminSection = (typeof SECTIONS)[number]['key'];

/** The console's top navigation: every admin page reaches every other in one tap. */
export function AdminNav(props: { current: AdminSection }) {
  return (
    <View className="admin-nav">
      {SECTIONS.map((section) => (
        <View
          key={section.key}
          className={`admin-nav__item admin-nav--${section.key}${section.key === props.current ? ' admin-nav__item--on' : ''}`}
          onClick={() => {
            // Switching sections replaces the page, so "back" never walks through every section visited.
            if (section.key !== props.current) void Taro.redirectTo({ url: section.url });
          }}
        >
          <Text>{section.title}</Text>
        </View>
      ))}
      <View
        className="admin-nav__item admin-nav__out"
        onClick={() => {
          signOut();
          void Taro.redirectTo({ url: '/admin/login/index' });
        }}
      >
        <Text>退出</Text>
      </View>
    </View>
  );
}
