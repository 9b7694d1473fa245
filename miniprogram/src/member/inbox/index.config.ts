export default definePageConfig({ navigationBarTitleText: '委员工作台', enablePullDownRefresh: true });
