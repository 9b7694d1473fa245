import { startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInResident } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';

describe('rate limits (kept in Redis)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ RATE_LIMIT_LOGIN_PER_MINUTE: '5', RATE_LIMIT_SUBMIT_PER_HOUR: '3' });
    await seedDemoData(stack.app.models);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('limits sign-ins per IP with a 429 in Chinese and a Retry-After', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      codes.push(
        (
          await stack.app.inject({
            method: 'POST',
            url: '/api/v1/auth/password',
            payload: { username: 'admin', password: `wrong-${i}` },
            remoteAddress: '10.9.8.7',
          })
        ).statusCode,
      );
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat',
      payload: { code: 'x' },
      remoteAddress: '10.9.8.7',
    });
    // Each route counts on its own; another IP is not affected.
    expect(limited.statusCode).toBe(200);
    const other = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: 'nope' },
      remoteAddress: '10.9.8.6',
    });
    expect(other.statusCode).toBe(401);
    const blocked = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: 'nope' },
      remoteAddress: '10.9.8.7',
    });
    expect(blocked.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits tickets per resident, not per shared IP', async () => {
    const studio = await stack.app.models.Studio.findOne({ code: 'hnxs' }).lean();
    const submit = (headers: Record<string, string>) =>
      stack.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { ...headers, 'idempotency-key': idempotencyKey() },
        payload: { studioId: String(studio!._id), category: 'consult', content: '请问老年卡在哪里办理？' },
      });
    const busy = await signInResident(stack.app, 'busy-resident');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await submit(busy.headers)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const neighbour = await signInResident(stack.app, 'neighbour-resident');
    expect((await submit(neighbour.headers)).statusCode).toBe(201);
  });
});
