import { startTestStack, type TestStack } from './helpers/app';
import { signInAdmin, signInResident } from './helpers/actors';

describe('sessions: sign-out, refresh, revocation', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const me = (authorization: string) =>
    stack.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { authorization } });

  it('signs out: the token stops working at once, another session of the same user does not', async () => {
    const phone = await signInResident(stack.app, 'session-user');
    const tablet = await signInResident(stack.app, 'session-user');
    expect((await me(phone.headers.authorization)).statusCode).toBe(200);
    const out = await stack.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: phone.headers });
    expect(out.statusCode).toBe(204);
    const after = await me(phone.headers.authorization);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHORIZED');
    expect((await me(tablet.headers.authorization)).statusCode).toBe(200);
  });

  it('refreshes a token: the new one works, the old one is revoked', async () => {
    const admin = await signInAdmin(stack.app);
    const res = await stack.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const fresh = res.json();
    expect(fresh.user).toMatchObject({ id: admin.userId, role: 'admin' });
    expect(fresh.token).not.toBe(admin.token);
    expect((await me(`Bearer ${fresh.token}`)).statusCode).toBe(200);
    expect((await me(admin.headers.authorization)).statusCode).toBe(401);
  });

  it('keeps revocations only as long as the token would have lived', async () => {
    const resident = await signInResident(stack.app, 'ttl-user');
    await stack.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: resident.headers });
    const { jti, exp } = stack.app.jwt.decode<{ jti: string; exp: number }>(resident.token)!;
    const ttl = await stack.app.redis.ttl(`revoked-token:${jti}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(exp - Math.floor(Date.now() / 1000) + 1);
  });
});
