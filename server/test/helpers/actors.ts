import type { FastifyInstance } from 'fastify';
import { TEST_ADMIN_PASSWORD } from './app';
import { ensureAdminAccount } from '../../src/modules/auth/service';

/** Signed-in callers built through the real API, as the mini-program and console do it. */
export interface Caller {
  token: string;
  userId: string;
  headers: { authorization: string };
}

const asCaller = (body: { token: string; user: { id: string } }): Caller => ({
  token: body.token,
  userId: body.user.id,
  headers: { authorization: `Bearer ${body.token}` },
});

export async function signInResident(app: FastifyInstance, code: string): Promise<Caller> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code } });
  if (res.statusCode !== 200) throw new Error(`resident sign-in failed: ${res.body}`);
  return asCaller(res.json());
}

export async function signInAdmin(app: FastifyInstance): Promise<Caller> {
  await ensureAdminAccount(app.models, TEST_ADMIN_PASSWORD);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`admin sign-in failed: ${res.body}`);
  return asCaller(res.json());
}

/** A WeChat user bound to the member record `memberId` through an admin's invite code. */
export async function signInMember(
  app: FastifyInstance,
  admin: Caller,
  memberId: string,
  code: string,
): Promise<Caller & { memberId: string }> {
  const invite = await app.inject({
    method: 'POST',
    url: `/api/v1/admin/members/${memberId}/invites`,
    headers: admin.headers,
  });
  if (invite.statusCode !== 201) throw new Error(`invite failed: ${invite.body}`);
  const user = await signInResident(app, code);
  const bound = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/bind',
    headers: user.headers,
    payload: { inviteCode: invite.json().inviteCode },
  });
  if (bound.statusCode !== 200) throw new Error(`bind failed: ${bound.body}`);
  return { ...asCaller(bound.json()), memberId };
}

let keyCounter = 0;
export function idempotencyKey(): string {
  keyCounter += 1;
  return `test-${process.pid}-${Date.now()}-${keyCounter}`;
}
