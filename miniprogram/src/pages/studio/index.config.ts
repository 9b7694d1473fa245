export default definePageConfig({ navigationBarTitleText: '委员工作室', enableShareAppMessage: true });
