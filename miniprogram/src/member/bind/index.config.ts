export default definePageConfig({ navigationBarTitleText: '绑定委员身份' });
