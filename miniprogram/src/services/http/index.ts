import Taro from '@tarojs/taro';
import { apiRoot, demoSignInEnabled, showToast, taroStore } from '../platform';
import { clearSession, demoCode, readSession, writeSession, type Session, type SignInMethod } from '../session';
import { createClient } from './core';
import { replyMatches } from './replies';
import { taroTransport } from './transport';

export { ApiError } from './core';
export type { Reply } from './replies';

export function currentSession(): Session | null {
  return readSession(taroStore);
}

/** The app's one client: every JSON call, upload and download goes through it. */
export const http = createClient({
  baseUrl: apiRoot,
  transport: taroTransport,
  getToken: () => currentSession()?.token ?? null,
  reauthenticate: renewSession,
  showError: showToast,
  // Replies are checked against their schemas in development (and in the tests, which bind the core
  // themselves). A production build has no check, so webpack drops ./replies, TypeBox and the schemas
  // from the pages: the condition is a constant there, and services/ is marked free of side effects.
  checkReply: process.env.NODE_ENV === 'production' ? undefined : replyMatches,
});

/** A WeChat login code (or the H5 demo code, which the server treats the same way) for a session. */
export async function exchangeCode(code: string, method: SignInMethod): Promise<Session> {
  const auth = await http.json('AuthResponse', 'POST', '/auth/wechat', { body: { code }, auth: false, silent: true });
  return writeSession(taroStore, auth, method);
}

/** WeChat: wx.login → /auth/wechat. H5 outside production: the demo code through the same server path. */
export async function signInSilently(): Promise<Session | null> {
  if (process.env.TARO_ENV === 'weapp') {
    const { code } = await Taro.login();
    return exchangeCode(code, 'wechat');
  }
  if (demoSignInEnabled) return exchangeCode(demoCode(taroStore), 'demo');
  return null;
}

/** After a 401: a silent sign-in again, except for admins' password sessions, which sign in by hand. */
async function renewSession(): Promise<string | null> {
  const session = currentSession();
  clearSession(taroStore);
  if (session?.method === 'password') {
    void Taro.navigateTo({ url: '/admin/login/index' });
    return null;
  }
  const renewed = await signInSilently();
  return renewed?.token ?? null;
}
