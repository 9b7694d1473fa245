import { startTestStack, type TestStack } from './helpers/app';
import { seedDemoData } from '../src/seed/seed';
import { demoStudios } from '../src/seed/demo-data';

interface Summary {
  id: string;
  name: string;
  town: string | null;
  sector: string | null;
  memberCount: number;
}

describe('studios (public reads) on the demo data', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoData(stack.app.models);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = (url: string) => stack.app.inject({ method: 'GET', url });

  it('lists every studio across pages, in a stable order, with member counts', async () => {
    const seen: Summary[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/v1/studios?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: Summary[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const expected = demoStudios();
    expect(seen.map((s) => s.name)).toEqual(expected.map((s) => s.name));
    expect(seen.map((s) => s.memberCount)).toEqual(expected.map((s) => s.members.length));
  });

  it('has the 12 towns and streets of Haining and at least 4 sector studios', async () => {
    const all = (await get('/api/v1/studios?limit=100')).json().items as Summary[];
    const towns = all.filter((s) => s.town).map((s) => s.town);
    expect(towns).toEqual([
      '硖石街道',
      '海洲街道',
      '海昌街道',
      '马桥街道',
      '许村镇',
      '长安镇',
      '周王庙镇',
      '盐官镇',
      '斜桥镇',
      '丁桥镇',
      '袁花镇',
      '黄湾镇',
    ]);
    expect(all.filter((s) => s.sector).length).toBeGreaterThanOrEqual(4);
  });

  it('filters by town, by sector and by name', async () => {
    const byTown = (await get(`/api/v1/studios?town=${encodeURIComponent('盐官镇')}`)).json().items as Summary[];
    expect(byTown.map((s) => s.name)).toEqual(['盐官镇委员集体工作室']);
    const bySector = (await get(`/api/v1/studios?sector=${encodeURIComponent('医药卫生界')}`)).json()
      .items as Summary[];
    expect(bySector.map((s) => s.name)).toEqual(['医药卫生界委员工作室']);
    const byName = (await get(`/api/v1/studios?q=${encodeURIComponent('海')}`)).json().items as Summary[];
    expect(byName.map((s) => s.name).sort()).toEqual(['海昌街道委员集体工作室', '海洲街道委员集体工作室']);
    const regexChars = await get(`/api/v1/studios?q=${encodeURIComponent('.*')}`);
    expect(regexChars.json().items).toEqual([]);
  });

  it('shows a studio with its members and service items', async () => {
    const [first] = (await get('/api/v1/studios?limit=1')).json().items as Summary[];
    const res = await get(`/api/v1/studios/${first!.id}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json();
    expect(detail).toMatchObject({ id: first!.id, name: '硖石街道委员集体工作室', slaHours: 24, scene: 's=hnxs' });
    expect(detail.members.length).toBe(detail.memberCount);
    expect(detail.members[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      title: expect.stringContaining('政协委员'),
    });
    expect(detail.serviceItems.length).toBeGreaterThan(0);
    expect(detail.intro).toContain('码上商');
  });

  it('finds every studio from the scene in its QR code, and the scene fits WeChat limits', async () => {
    const all = (await get('/api/v1/studios?limit=100')).json().items as Summary[];
    for (const studio of all) {
      const detail = (await get(`/api/v1/studios/${studio.id}`)).json();
      expect(detail.scene.length).toBeLessThanOrEqual(32);
      expect(detail.scene).toMatch(/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/);
      const byScene = await get(`/api/v1/studios/by-scene/${encodeURIComponent(detail.scene)}`);
      expect(byScene.statusCode).toBe(200);
      expect(byScene.json().id).toBe(studio.id);
    }
  });

  it('answers an unknown scene or id with 404 and a Chinese message', async () => {
    const scene = await get('/api/v1/studios/by-scene/s%3Dnosuch');
    expect(scene.statusCode).toBe(404);
    expect(scene.json()).toMatchObject({ code: 'STUDIO_NOT_FOUND', message: expect.stringContaining('工作室') });
    const id = await get('/api/v1/studios/0123456789abcdef01234567');
    expect(id.statusCode).toBe(404);
  });

  it.each([
    ['a malformed id', '/api/v1/studios/not-an-id'],
    ['a limit over 100', '/api/v1/studios?limit=101'],
    ['a zero limit', '/api/v1/studios?limit=0'],
    ['a forged cursor', '/api/v1/studios?cursor=Zm9yZ2Vk'],
    // Found by fuzz.test.ts: a well-formed cursor whose sort key is text made the query fail to cast (500).
    [
      'a cursor whose key is text',
      `/api/v1/studios?cursor=${Buffer.from('[":","6b0e6db1183a66d494798ded"]').toString('base64url')}`,
    ],
    [
      'a cursor whose key is an operator',
      `/api/v1/studios?cursor=${Buffer.from('[{"$gt":""},"6b0e6db1183a66d494798ded"]').toString('base64url')}`,
    ],
    ['an overlong scene', `/api/v1/studios/by-scene/${'a'.repeat(40)}`],
  ])('rejects %s with 400', async (_label, url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('ignores query keys it does not know, so operators cannot be smuggled in', async () => {
    const all = (await get('/api/v1/studios?limit=100')).json().items;
    const injected = await get('/api/v1/studios?limit=100&town[$ne]=x&name[$regex]=.*');
    expect(injected.statusCode).toBe(200);
    expect(injected.json().items).toEqual(all);
    const asJsonText = await get(`/api/v1/studios?town=${encodeURIComponent('{"$ne":null}')}`);
    expect(asJsonText.json().items).toEqual([]);
  });

  it('seeding twice leaves the same data', async () => {
    const snapshot = async () => ({
      studios: await stack.app.models.Studio.find().sort({ _id: 1 }).lean(),
      members: await stack.app.models.Member.find().sort({ _id: 1 }).lean(),
    });
    const before = await snapshot();
    await seedDemoData(stack.app.models);
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.studios.length).toBe(demoStudios().length);
  });
});
