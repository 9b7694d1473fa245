import Taro from '@tarojs/taro';
import type { BindBody, PasswordLoginBody } from '@mashangshang/shared';
import { toastTextFor } from '../errors';
import { ApiError, currentSession, exchangeCode, http, signInSilently } from '../http';
import { showToast, taroStore } from '../platform';
import { clearSession, writeSession, type Session } from '../session';
import { STORAGE_KEYS } from '../store';

export { currentSession, signInSilently };

/** The stored session, or a silent sign-in; null (and the sign-in page) when neither works. */
export async function ensureSignedIn(): Promise<Session | null> {
  const existing = currentSession();
  if (existing) return existing;
  try {
    const session = await signInSilently();
    if (session) return session;
  } catch (error) {
    showToast(error instanceof ApiError ? error.message : toastTextFor({ networkError: true }));
    return null;
  }
  void Taro.navigateTo({ url: '/pages/login/index' });
  return null;
}

export async function signInWithDemoCode(code: string): Promise<Session> {
  taroStore.set(STORAGE_KEYS.demoCode, code);
  try {
    return await exchangeCode(code, 'demo');
  } catch (error) {
    if (error instanceof ApiError) showToast(error.message);
    throw error;
  }
}

export async function signInWithPassword(username: string, password: string): Promise<Session> {
  const body: PasswordLoginBody = { username, password };
  const auth = await http.json('AuthResponse', 'POST', '/auth/password', { body, auth: false });
  return writeSession(taroStore, auth, 'password');
}

/** A member's invite code ties their WeChat to the member: the server answers with the new session. */
export async function bindInvite(inviteCode: string): Promise<Session> {
  const method = currentSession()?.method ?? 'demo';
  const body: BindBody = { inviteCode: inviteCode.trim().toUpperCase() };
  const auth = await http.json('AuthResponse', 'POST', '/auth/bind', { body });
  return writeSession(taroStore, auth, method);
}

export function signOut(): void {
  clearSession(taroStore);
}
