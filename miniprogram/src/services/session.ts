import type { AuthResponse, SessionUser } from '@mashangshang/shared';
import { STORAGE_KEYS, type KeyValueStore } from './store';

/** How the session was obtained decides how it is renewed after a 401. */
export type SignInMethod = 'wechat' | 'demo' | 'password';

export interface Session {
  token: string;
  user: SessionUser;
  method: SignInMethod;
}

export function readSession(store: KeyValueStore): Session | null {
  const session = store.get<Session>(STORAGE_KEYS.session);
  return session && typeof session.token === 'string' && session.user ? session : null;
}

export function writeSession(store: KeyValueStore, auth: AuthResponse, method: SignInMethod): Session {
  const session: Session = { token: auth.token, user: auth.user, method };
  store.set(STORAGE_KEYS.session, session);
  return session;
}

export function clearSession(store: KeyValueStore): void {
  store.remove(STORAGE_KEYS.session);
}

/** The code the H5 demo sign-in sends to /auth/wechat: the same code signs in the same person. */
export function demoCode(store: KeyValueStore, random: () => number = Math.random): string {
  const saved = store.get<string>(STORAGE_KEYS.demoCode);
  if (typeof saved === 'string' && saved) return saved;
  const code = `demo-${Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0')}`;
  store.set(STORAGE_KEYS.demoCode, code);
  return code;
}
