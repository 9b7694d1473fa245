export default definePageConfig({ navigationBarTitleText: '码上商', enablePullDownRefresh: true });
