import { createHmac } from 'node:crypto';

/** Tokens a client could present that the server must refuse, built by hand (no library shortcuts). */
const base64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

export interface TokenClaims {
  sub: string;
  role: string;
  iat?: number;
  exp?: number;
}

/** An HS256 JWT signed with `secret` (the right one or not). */
export function signJwt(claims: TokenClaims, secret: string): string {
  const now = Math.floor(Date.now() / 1000);
  const head = base64url({ alg: 'HS256', typ: 'JWT' });
  const body = base64url({ iat: now, exp: now + 3600, ...claims });
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

/** An unsigned token (`alg: none`), the classic way to skip verification on a careless server. */
export function unsignedJwt(claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iat: now, exp: now + 3600, ...claims })}.`;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
