import { Redis } from 'ioredis';
import { createWechatClient, WechatApiError, WechatUnavailableError } from '../src/wechat/client';
import { startFakeWechat } from '../src/wechat/fake/server';
import { startTestServices, type TestServices } from './helpers/services';

describe('WeChat client against the fake WeChat server', () => {
  let services: TestServices;
  let fake: Awaited<ReturnType<typeof startFakeWechat>>;
  let redis: Redis;
  const stats = async () => (await (await fetch(`${fake.url}/__fake/stats`)).json()) as { stableTokenCalls: number };
  const fault = (body: object) =>
    fetch(`${fake.url}/__fake/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    services = await startTestServices();
    fake = await startFakeWechat({ appId: 'wxA', appSecret: 'secretA' });
    redis = new Redis(services.redisUrl);
  });
  afterAll(async () => {
    redis?.disconnect();
    await fake?.close();
    await services?.stop();
  });
  afterEach(async () => {
    await fetch(`${fake.url}/__fake/faults`, { method: 'DELETE' });
  });

  const client = (timeoutMs = 1000) =>
    createWechatClient({ apiBase: fake.url, appId: 'wxA', appSecret: 'secretA', timeoutMs, redis });

  it('fetches the access token once and shares it through Redis between clients', async () => {
    const before = (await stats()).stableTokenCalls;
    const tokens = await Promise.all([client(), client(), client()].map((c) => c.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect((await stats()).stableTokenCalls - before).toBe(1);
    expect(await redis.ttl('wechat:access_token')).toBeGreaterThan(6000);
  });

  it('refreshes the token once when WeChat says it is invalid, then succeeds', async () => {
    await redis.set('wechat:access_token', 'stale-token');
    const reply = await client().callWithToken('/wxa/msg_sec_check', {
      openid: 'o1',
      scene: 1,
      version: 2,
      content: '你好',
    });
    expect((reply.result as { suggest: string }).suggest).toBe('pass');
    expect(await redis.get('wechat:access_token')).not.toBe('stale-token');
  });

  it('maps WeChat error codes, HTTP 500s and timeouts to distinct errors', async () => {
    await expect(client().code2Session('bad-code')).rejects.toMatchObject({ errcode: 40029 });
    await expect(client().code2Session('bad-code')).rejects.toBeInstanceOf(WechatApiError);
    await fault({ path: '/sns/jscode2session', mode: 'http500', times: 1 });
    await expect(client().code2Session('fine')).rejects.toBeInstanceOf(WechatUnavailableError);
    await fault({ path: '/sns/jscode2session', mode: 'timeout', times: 1 });
    const started = Date.now();
    await expect(client(300).code2Session('fine')).rejects.toBeInstanceOf(WechatUnavailableError);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await client().code2Session('fine')).openid).toMatch(/^o/);
  });
});
