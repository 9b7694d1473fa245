import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { signOut } from '../../services/api';
import { Tap } from '../../member/shared/controls';
import './admin.css';

const SECTIONS = [
  { key: 'board', title: '督办', url: '/admin/board/index' },
  { key: 'dashboard', title: '统计', url: '/admin/dashboard/index' },
  { key: 'studios', title: '工作室', url: '/admin/studios/index' },
  { key: 'members', title: '委员', url: '/admin/members/index' },
  { key: 'invites', title: '邀请码', url: '/admin/invites/index' },
  { key: 'replies', title: '常用回复', url: '/admin/canned-replies/index' },
  { key: 'calendar', title: '工作日历', url: '/admin/calendar/index' },
  { key: 'notices', title: '通知', url: '/admin/notices/index' },
] as const;

export type AdminSection = (typeof SECTIONS)[number]['key'];

/**
 * The console's menu, on every admin page (the ticket page too, opened from the board): every
 * section in one tap, the current one marked, and sign-out. `current` null: a page below a section
 * (a ticket), where every section, its own included, is a way out.
 */
export function AdminNav(props: { current: AdminSection | null }) {
  return (
    <View className="admin-nav" {...{ role: 'navigation', 'aria-label': '管理菜单' }}>
      {SECTIONS.map((section) => {
        const here = section.key === props.current;
        return (
          <Tap
            key={section.key}
            role="link"
            current={here}
            className={`admin-nav__item admin-nav--${section.key}${here ? ' admin-nav__item--on' : ''}`}
            onTap={() => {
              // Switching sections replaces the page, so "back" never walks through every section visited.
              if (!here) void Taro.redirectTo({ url: section.url });
            }}
          >
            {section.title}
          </Tap>
        );
      })}
      <Tap
        className="admin-nav__item admin-nav__out"
        onTap={() => {
          signOut();
          void Taro.redirectTo({ url: '/admin/login/index' });
        }}
      >
        退出
      </Tap>
    </View>
  );
}
