import fs from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repoRoot } from '../../scripts/services';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import pdf from 'pdf-parse/lib/pdf-parse.js';
import { startTestStack, type TestStack } from './helpers/app';
import { signInAdmin, type Caller } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';

/** The entries of a ZIP archive, read from its central directory (names and inflated contents). */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = zip.readUInt32LE(at + 42);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : data);
    at += 46 + nameLength + extra;
  }
  return entries;
}

describe('studio posters', () => {
  let stack: TestStack;
  let admin: Caller;
  let studio: { id: string; name: string; code: string; members: string[]; items: string[] };

  const get = (url: string) => stack.app.inject({ method: 'GET', url, headers: admin.headers });

  beforeAll(async () => {
    // Drawing and decoding PNGs is slow inside Jest's sandbox: give the fake WeChat time.
    stack = await startTestStack({ WECHAT_TIMEOUT_MS: '10000' });
    await seedDemoData(stack.app.models);
    admin = await signInAdmin(stack.app);
    const doc = await stack.app.models.Studio.findOne({ code: 'hnyw' }).lean();
    const members = await stack.app.models.Member.find({ studioIds: doc!._id, active: true }).sort({ _id: 1 }).lean();
    studio = {
      id: String(doc!._id),
      name: doc!.name,
      code: doc!.code,
      members: members.map((m) => m.name),
      items: doc!.serviceItems.map((i) => i.title),
    };
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('prints an A4 PDF poster with the studio, its members and service items, and the invitation', async () => {
    const res = await get(`/api/v1/admin/studios/${studio.id}/poster?format=pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const parsed = await pdf(res.rawPayload);
    expect(parsed.numpages).toBe(1);
    const text = parsed.text.replace(/\s+/g, '');
    for (const expected of [
      studio.name,
      '码上商',
      '有事找委员，扫码就能说',
      '24小时在线',
      studio.members[0]!,
      studio.items[0]!,
    ])
      expect(text).toContain(expected.replace(/\s+/g, ''));
  });

  it('draws the same poster as a PNG for WeChat groups, with a code that scans to the studio', async () => {
    const res = await get(`/api/v1/admin/studios/${studio.id}/poster?format=png`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    // Kept for a look: test-artifacts/posters/hnyw.png (git-ignored).
    fs.mkdirSync(path.join(repoRoot, 'test-artifacts', 'posters'), { recursive: true });
    fs.writeFileSync(path.join(repoRoot, 'test-artifacts', 'posters', `${studio.code}.png`), res.rawPayload);
    const image = PNG.sync.read(res.rawPayload);
    expect([image.width, image.height]).toEqual([1240, 1754]);
    const decoded = jsQR(
      new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
      image.width,
      image.height,
    );
    expect(decoded?.data).toBe('wxacode:pages/index/index?scene=s=hnyw');
  });

  it('gives every active studio one page of one PDF, and an archive of them all', async () => {
    // Three studios keep the suite quick (drawing is slow inside Jest); retired ones get no poster.
    const keep = ['hnyw', 'hnxs', 'hnjj'];
    await stack.app.models.Studio.updateMany({ code: { $nin: keep } }, { $set: { active: false } });
    const studios = await stack.app.models.Studio.find({ active: true }).lean();
    expect(studios).toHaveLength(3);
    const all = await get('/api/v1/admin/posters?format=pdf');
    expect(all.statusCode).toBe(200);
    const parsed = await pdf(all.rawPayload);
    expect(parsed.numpages).toBe(studios.length);
    const text = parsed.text.replace(/\s+/g, '');
    for (const s of studios) expect(text).toContain(s.name);

    const zip = await get('/api/v1/admin/posters?format=zip');
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    const entries = unzip(zip.rawPayload);
    expect(entries.size).toBe(1 + 2 * studios.length);
    expect(entries.has('posters.pdf')).toBe(true);
    const one = entries.get(`hnyw-${studio.name}.pdf`)!;
    expect((await pdf(one)).numpages).toBe(1);
    expect(PNG.sync.read(entries.get(`hnyw-${studio.name}.png`)!).width).toBe(1240);

    // One town's studios only (a town office prints its own); none matching is a 404.
    const town = await get(`/api/v1/admin/posters?format=pdf&town=${encodeURIComponent('硖石街道')}`);
    expect((await pdf(town.rawPayload)).numpages).toBe(1);
    expect((await get(`/api/v1/admin/posters?town=${encodeURIComponent('无此镇')}`)).statusCode).toBe(404);
  });

  it('refuses posters (503, in Chinese) when no Chinese font is installed, rather than print boxes', async () => {
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: stack.config.mongodbUri,
      REDIS_URL: stack.config.redisUrl,
      WECHAT_API_BASE: stack.wechatUrl,
      POSTER_FONT_PATH: '/nonexistent/font.ttc',
      DATA_DIR: stack.services.tmpDir,
      LOG_LEVEL: 'silent',
    });
    const app = await buildApp(config);
    try {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/admin/studios/${studio.id}/poster`,
        headers: admin.headers,
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('POSTER_FONT_MISSING');
    } finally {
      await app.close();
    }
  });
});
