export default defineAppConfig({
  // Residents' pages stay in the main package; members' and admins' pages load only when opened.
  pages: [
    'pages/index/index',
    'pages/studio/index',
    'pages/submit/index',
    'pages/mine/index',
    'pages/ticket/index',
    'pages/login/index',
  ],
  subPackages: [
    {
      root: 'member',
      pages: ['inbox/index', 'bind/index', 'ticket/index', 'notices/index', 'stats/index', 'canned-replies/index'],
    },
    {
      root: 'admin',
      pages: [
        'board/index',
        'login/index',
        'notices/index',
        'studios/index',
        'studio-edit/index',
        'members/index',
        'invites/index',
        'dashboard/index',
        'calendar/index',
        'canned-replies/index',
      ],
    },
  ],
  window: {
    navigationBarBackgroundColor: '#b71c1c',
    navigationBarTextStyle: 'white',
    navigationBarTitleText: '码上商',
    backgroundColor: '#f5f5f5',
    backgroundTextStyle: 'dark',
  },
  lazyCodeLoading: 'requiredComponents',
});
