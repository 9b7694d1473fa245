import { TEST_ADMIN_PASSWORD, startTestStack, type TestStack } from './helpers/app';
import { ensureAdminAccount } from '../src/modules/auth/service';

describe('sign-in', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await ensureAdminAccount(stack.app.models, TEST_ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const wechatLogin = (code: unknown) =>
    stack.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code } });
  const openidOf = async (code: string) =>
    ((await (await fetch(`${stack.wechatUrl}/__fake/openid?code=${code}`)).json()) as { openid: string }).openid;

  it('turns a new WeChat user into a resident with a token', async () => {
    const res = await wechatLogin('first-visit-code');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ role: 'resident', studioIds: [] });
    expect(body.user.id).toMatch(/^[0-9a-f]{24}$/);
    const payload = stack.app.jwt.verify<{ sub: string; role: string }>(body.token);
    expect(payload).toMatchObject({ sub: body.user.id, role: 'resident' });
  });

  it('recognises the same WeChat user on a second sign-in', async () => {
    const first = (await wechatLogin('returning-user')).json();
    const second = (await wechatLogin('returning-user')).json();
    expect(second.user.id).toBe(first.user.id);
    expect(await stack.app.models.User.countDocuments({ openid: await openidOf('returning-user') })).toBe(1);
  });

  it('creates one user when the first two sign-ins race', async () => {
    const replies = await Promise.all(Array.from({ length: 5 }, () => wechatLogin('racing-user')));
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(replies.map((r) => r.json().user.id)).size).toBe(1);
  });

  it('rejects a bad code with 401 and a Chinese message', async () => {
    const res = await wechatLogin('bad-code-123');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      statusCode: 401,
      code: 'WECHAT_CODE_INVALID',
      error: 'Unauthorized',
      message: '微信登录凭证无效或已过期，请重新进入小程序',
    });
  });

  it('answers 503 when WeChat is failing, and works again afterwards', async () => {
    await fetch(`${stack.wechatUrl}/__fake/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/sns/jscode2session', mode: 'http500', times: 1 }),
    });
    const failed = await wechatLogin('during-outage');
    expect(failed.statusCode).toBe(503);
    expect(failed.json().code).toBe('WECHAT_UNAVAILABLE');
    expect((await wechatLogin('during-outage')).statusCode).toBe(200);
  });

  it.each([
    ['no code', {}],
    ['an empty code', { code: '' }],
    ['a number', { code: 42 }],
    ['a huge code', { code: 'x'.repeat(5000) }],
  ])('rejects %s with 400 VALIDATION_FAILED', async (_label, payload) => {
    const res = await stack.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('rejects a body that is not JSON with 4xx, never 500', async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat',
      headers: { 'content-type': 'application/json' },
      payload: '{"code":',
    });
    expect(res.statusCode).toBe(400);
    const xml = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat',
      headers: { 'content-type': 'application/xml' },
      payload: '<code/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('never returns or logs the openid or session key', async () => {
    const res = await wechatLogin('privacy-check');
    const openid = await openidOf('privacy-check');
    expect(res.body).not.toContain(openid);
    expect(res.body).not.toMatch(/session_key|openid/);
    expect(stack.logs.lines.length).toBeGreaterThan(0);
    expect(stack.logs.text).not.toContain(openid);
    expect(stack.logs.text).not.toContain('session_key');
    expect(stack.logs.text).not.toContain('privacy-check');
  });

  it('signs the admin in with the configured password', async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.role).toBe('admin');
    expect(stack.logs.text).not.toContain(TEST_ADMIN_PASSWORD);
  });

  it('refuses a wrong password or unknown admin with the same answer', async () => {
    const wrong = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: 'nope-nope' },
    });
    const unknown = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'ghost', password: 'nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().message).toBe('用户名或密码错误');
  });
});
