export default definePageConfig({ navigationBarTitleText: '本工作室统计', enablePullDownRefresh: true });
