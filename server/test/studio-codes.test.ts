import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { SCENE_ALPHABET_PATTERN } from '@mashangshang/shared';
import { startTestStack, type TestStack } from './helpers/app';
import { signInAdmin, type Caller } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';

/** What a phone's camera would read from the PNG. */
function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return (
    jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)
      ?.data ?? null
  );
}

describe('studio codes', () => {
  let stack: TestStack;
  let admin: Caller;
  let studioId: string;

  const codeUnlimitCalls = async () =>
    ((await (await fetch(`${stack.wechatUrl}/__fake/stats`)).json()) as { codeUnlimitCalls: number }).codeUnlimitCalls;
  const getCode = (id: string, query = '') =>
    stack.app.inject({ method: 'GET', url: `/api/v1/admin/studios/${id}/qrcode${query}`, headers: admin.headers });

  beforeAll(async () => {
    // Drawing PNGs is slow inside Jest's sandbox (about a second for one code): give the fake time.
    stack = await startTestStack({ WECHAT_TIMEOUT_MS: '10000' });
    await seedDemoData(stack.app.models);
    admin = await signInAdmin(stack.app);
    studioId = String((await stack.app.models.Studio.findOne({ code: 'hnyw' }).lean())!._id);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('gives every seeded studio a scene of at most 32 allowed characters that leads back to it', async () => {
    const list = await stack.app.inject({ method: 'GET', url: '/api/v1/studios?limit=100' });
    const studios = list.json().items as { id: string }[];
    expect(studios.length).toBeGreaterThanOrEqual(17);
    for (const { id } of studios) {
      const detail = (await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${id}` })).json();
      expect(detail.scene.length).toBeLessThanOrEqual(32);
      expect(detail.scene).toMatch(new RegExp(SCENE_ALPHABET_PATTERN));
      const back = await stack.app.inject({
        method: 'GET',
        url: `/api/v1/studios/by-scene/${encodeURIComponent(detail.scene)}`,
      });
      expect(back.statusCode).toBe(200);
      expect(back.json().id).toBe(id);
    }
  });

  it('returns the mini-program code from WeChat as a PNG holding the page and scene, asking WeChat once', async () => {
    const before = await codeUnlimitCalls();
    const first = await getCode(studioId);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/png');
    expect(decodeQr(first.rawPayload)).toBe('wxacode:pages/index/index?scene=s=hnyw');
    const second = await getCode(studioId);
    expect(second.statusCode).toBe(200);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect((await codeUnlimitCalls()) - before).toBe(1);

    // Several admins opening the page at once for a new size: still one call to WeChat.
    const together = await Promise.all([1, 2, 3].map(() => getCode(studioId, '?width=280')));
    expect(together.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect((await codeUnlimitCalls()) - before).toBe(2);
  });

  it('draws a new code when the studio code changes', async () => {
    const scratch = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/admin/studios',
      headers: admin.headers,
      payload: { name: '改码工作室', kind: 'town', town: '改码镇', code: 'gaima1' },
    });
    const id = scratch.json().id as string;
    expect(decodeQr((await getCode(id)).rawPayload)).toBe('wxacode:pages/index/index?scene=s=gaima1');
    await stack.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/studios/${id}`,
      headers: admin.headers,
      payload: { code: 'gaima2' },
    });
    expect(decodeQr((await getCode(id)).rawPayload)).toBe('wxacode:pages/index/index?scene=s=gaima2');
  });

  it('answers 503 when WeChat fails, and keeps nothing of the failure', async () => {
    const fault = (mode: string) =>
      fetch(`${stack.wechatUrl}/__fake/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: '/wxa/getwxacodeunlimit', mode, errcode: 45009, times: 1 }),
      });
    await fault('errcode');
    const failed = await getCode(studioId, '?width=300');
    expect(failed.statusCode).toBe(503);
    expect(failed.json().code).toBe('WECHAT_UNAVAILABLE');
    await fault('http500');
    expect((await getCode(studioId, '?width=300')).statusCode).toBe(503);
    // An access token WeChat no longer accepts is refreshed once, then the code comes.
    await fetch(`${stack.wechatUrl}/__fake/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/wxa/getwxacodeunlimit', mode: 'errcode', errcode: 40001, times: 1 }),
    });
    const ok = await getCode(studioId, '?width=300');
    expect(ok.statusCode).toBe(200);
    expect(decodeQr(ok.rawPayload)).toBe('wxacode:pages/index/index?scene=s=hnyw');
  });

  it('returns a plain QR code of the H5 link for ?type=h5', async () => {
    const res = await getCode(studioId, '?type=h5&width=300');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const link = decodeQr(res.rawPayload);
    expect(link).toBe(`${stack.config.publicBaseUrl}/app/?studioId=${studioId}`);
    // The link opens the studio the H5 home redirects to.
    expect(
      (
        await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${new URL(link!).searchParams.get('studioId')}` })
      ).json().scene,
    ).toBe('s=hnyw');
  });

  it('answers 404 for a studio that does not exist', async () => {
    const res = await getCode('0123456789abcdef01234567');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('STUDIO_NOT_FOUND');
  });
});
