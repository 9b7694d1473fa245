export default definePageConfig({ navigationBarTitleText: '办理留言', enablePullDownRefresh: true });
