import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { Types } from 'mongoose';
import { TEST_ADMIN_PASSWORD, imageChecksSettled, startTestStack, type TestStack } from './helpers/app';
import { ensureAdminAccount } from '../src/modules/auth/service';
import { signUploadUrl } from '../src/lib/upload-signing';
import { claimUploadsForTicket, detectImageType } from '../src/modules/uploads/service';
import { AppError } from '../src/errors';
import { multipart, type Part } from './helpers/uploads';

/** A JPEG as far as magic numbers go: SOI + JFIF APP0 header, padding, EOI. */
function fakeJpeg(totalBytes = 256): Buffer {
  const head = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ]);
  const tail = Buffer.from([0xff, 0xd9]);
  return Buffer.concat([head, Buffer.alloc(totalBytes - head.length - tail.length, 0x11), tail]);
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('photo uploads', () => {
  let stack: TestStack;
  let png: Buffer;
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  const idOf = (who: string): string => userIds[who] ?? '';

  const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const upload = (who: string | null, parts: Part[]) => {
    const body = multipart(parts);
    return stack.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      payload: body.payload,
      headers: { ...body.headers, ...(who ? auth(who) : {}) },
    });
  };
  const uploadImage = async (who: string, data: Buffer = png) => {
    const res = await upload(who, [{ name: 'file', filename: 'photo.png', contentType: 'image/png', data }]);
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; url: string };
  };
  const get = (url: string, who?: string) => stack.app.inject({ method: 'GET', url, headers: who ? auth(who) : {} });
  const uploadsDir = () => path.join(stack.config.dataDir, 'uploads');

  async function signIn(who: string) {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat',
      payload: { code: `uploads-${who}` },
    });
    expect(res.statusCode).toBe(200);
    tokens[who] = res.json().token;
    userIds[who] = res.json().user.id;
  }

  /** Turns a signed-in WeChat user into a member of one studio (as binding an invite would). */
  async function makeMember(who: string, studioId: Types.ObjectId) {
    const member = await stack.app.models.Member.create({
      name: `委员${who}`,
      studioIds: [studioId],
      userId: new Types.ObjectId(idOf(who)),
    });
    await stack.app.models.User.updateOne({ _id: userIds[who] }, { $set: { role: 'member', memberId: member._id } });
  }

  async function insertTicket(residentId: string, studioId: Types.ObjectId, imageIds: Types.ObjectId[] = []) {
    const ticket = await stack.app.models.Ticket.create({
      no: `HN20261126-${randomBytes(3).toString('hex')}`,
      studioId,
      residentId: new Types.ObjectId(residentId),
      idempotencyKey: randomBytes(8).toString('hex'),
      category: 'consult',
      content: '小区门口路灯坏了',
      imageIds,
      status: 'assigned',
      dueAt: new Date(Date.now() + 86_400_000),
      contentCheck: 'pass',
    });
    return ticket._id;
  }

  const studioA = new Types.ObjectId();
  const studioB = new Types.ObjectId();

  beforeAll(async () => {
    stack = await startTestStack();
    png = await QRCode.toBuffer('码上商 upload test', { type: 'png' });
    await Promise.all(['alice', 'bob', 'carol', 'memberA', 'memberB', 'busy'].map(signIn));
    await makeMember('memberA', studioA);
    await makeMember('memberB', studioB);
    await ensureAdminAccount(stack.app.models, TEST_ADMIN_PASSWORD);
    const admin = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    tokens.admin = admin.json().token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("stores a resident's PNG and gives back the same bytes to its owner", async () => {
    const { id, url } = await uploadImage('alice');
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(url).toMatch(new RegExp(`^/api/v1/uploads/${id}\\?exp=\\d+&sig=[0-9a-f]{64}$`));

    const res = await get(`/api/v1/uploads/${id}`, 'alice');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(res.rawPayload.equals(png)).toBe(true);

    const doc = await stack.app.models.Upload.findById(id).lean();
    expect(doc).toMatchObject({ ownerRole: 'resident', contentType: 'image/png', size: png.length, ticketId: null });
    expect(doc?.ownerId.toHexString()).toBe(idOf('alice'));
    expect(doc?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = path.join(uploadsDir(), ...doc!.storageKey.split('/'));
    expect(fs.readFileSync(stored).equals(png)).toBe(true);
  });

  it('detects the type from the bytes, not from the name or declared type', async () => {
    const jpeg = fakeJpeg();
    const { id } = await uploadImage('alice', jpeg); // declared image/png, photo.png
    const res = await get(`/api/v1/uploads/${id}`, 'alice');
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.rawPayload.equals(jpeg)).toBe(true);
    expect(detectImageType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(detectImageType(Buffer.from('GIF89a'))).toBeNull();
  });

  it('hides an upload from another resident as if it did not exist', async () => {
    const { id } = await uploadImage('alice');
    const other = await get(`/api/v1/uploads/${id}`, 'bob');
    const missing = await get(`/api/v1/uploads/${new Types.ObjectId().toHexString()}`, 'bob');
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual(missing.json());
    expect(other.json().code).toBe('NOT_FOUND');
  });

  it('serves the signed URL without a token, and nothing for a tampered or expired one', async () => {
    const { id, url } = await uploadImage('alice');
    const signed = await get(url);
    expect(signed.statusCode).toBe(200);
    expect(signed.rawPayload.equals(png)).toBe(true);

    const sig = url.slice(-64);
    const tampered = url.slice(0, -64) + (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    expect((await get(tampered)).statusCode).toBe(404);

    const expired = signUploadUrl(stack.config, id, 60, Date.now() - 3_600_000);
    const expiredRes = await get(expired);
    expect(expiredRes.statusCode).toBe(404);
    expect(expiredRes.json().code).toBe('NOT_FOUND');

    // A signature is bound to its id: it opens no other image.
    const { id: otherId } = await uploadImage('bob');
    expect((await get(url.replace(id, otherId))).statusCode).toBe(404);
    // Signed with another secret: refused.
    expect(await get(signUploadUrl('another-secret-another-secret-0123456789', id))).toMatchObject({ statusCode: 404 });
  });

  it('asks for sign-in when neither a token nor a signature is given', async () => {
    const { id } = await uploadImage('alice');
    const res = await get(`/api/v1/uploads/${id}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHORIZED');
  });

  it('refuses a text file dressed up as a PNG with 415', async () => {
    const before = await stack.app.models.Upload.countDocuments();
    const res = await upload('alice', [
      { name: 'file', filename: 'evil.png', contentType: 'image/png', data: '<script>alert(1)</script>' },
    ]);
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      code: 'UPLOAD_TYPE_NOT_ALLOWED',
      message: '只能上传 JPG、PNG 或 WebP 格式的图片',
    });
    expect(await stack.app.models.Upload.countDocuments()).toBe(before);
  });

  it('accepts exactly 5 MB and refuses 6 MB with 413, storing nothing', async () => {
    const atLimit = await upload('carol', [{ name: 'file', filename: 'big.jpg', data: fakeJpeg(5 * 1024 * 1024) }]);
    expect(atLimit.statusCode).toBe(201);

    const docsBefore = await stack.app.models.Upload.countDocuments();
    const filesBefore = filesUnder(uploadsDir()).length;
    const res = await upload('carol', [
      { name: 'file', filename: 'huge.jpg', contentType: 'image/jpeg', data: fakeJpeg(6 * 1024 * 1024) },
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'UPLOAD_TOO_LARGE', message: '图片不能超过 5 MB' });
    expect(await stack.app.models.Upload.countDocuments()).toBe(docsBefore);
    expect(filesUnder(uploadsDir()).length).toBe(filesBefore);
    expect(filesUnder(uploadsDir()).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  it('refuses two files in one request with a stable code', async () => {
    const docsBefore = await stack.app.models.Upload.countDocuments();
    const res = await upload('alice', [
      { name: 'file', filename: 'a.png', contentType: 'image/png', data: png },
      { name: 'file2', filename: 'b.png', contentType: 'image/png', data: png },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'UPLOAD_TOO_MANY_FILES', message: '一次只能上传一张图片' });
    expect(await stack.app.models.Upload.countDocuments()).toBe(docsBefore);
  });

  it('refuses a form without a file, and a body that is not multipart', async () => {
    const noFile = await upload('alice', [{ name: 'note', data: 'hello' }]);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().code).toBe('UPLOAD_FILE_MISSING');

    const json = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: auth('alice'),
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const raw = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...auth('alice'), 'content-type': 'image/png' },
      payload: png,
    });
    expect(raw.statusCode).toBe(415);

    const garbled = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...auth('alice'), 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
    });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().code).toBe('VALIDATION_FAILED');
  });

  it('requires sign-in to upload', async () => {
    const res = await upload(null, [{ name: 'file', filename: 'a.png', data: png }]);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHORIZED');
  });

  it('lets an admin upload too', async () => {
    const { id } = await uploadImage('admin');
    expect((await stack.app.models.Upload.findById(id).lean())?.ownerRole).toBe('admin');
    expect((await get(`/api/v1/uploads/${id}`, 'admin')).statusCode).toBe(200);
    expect((await get(`/api/v1/uploads/${id}`, 'alice')).statusCode).toBe(404);
  });

  it('keeps files under DATA_DIR/uploads and never serves a path', async () => {
    fs.writeFileSync(path.join(stack.config.dataDir, 'secrets.json'), '{"secret":"do-not-serve"}');
    for (const url of [
      '/api/v1/uploads/..%2F..%2Fsecrets.json',
      '/api/v1/uploads/..%2Fsecrets.json',
      '/api/v1/uploads/%2e%2e%2fsecrets.json',
      '/api/v1/uploads/../../secrets.json',
    ]) {
      const res = await get(url, 'alice');
      expect([400, 404]).toContain(res.statusCode);
      expect(res.body).not.toContain('do-not-serve');
    }
    const files = filesUnder(uploadsDir());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(path.relative(uploadsDir(), file)).toMatch(/^\d{4}\/\d{2}\/[0-9a-f]{32}$/);
  });

  it('shows an attached image to whoever may see the ticket, and no one else', async () => {
    const { id } = await uploadImage('alice');
    const ticketId = await insertTicket(idOf('alice'), studioA);
    expect((await get(`/api/v1/uploads/${id}`, 'memberA')).statusCode).toBe(404); // not attached yet

    await claimUploadsForTicket(stack.app.models, new Types.ObjectId(idOf('alice')), [id], ticketId);
    await imageChecksSettled(stack); // members see only what WeChat's image check passed (media-check.test.ts)
    expect((await get(`/api/v1/uploads/${id}`, 'memberA')).statusCode).toBe(200);
    expect((await get(`/api/v1/uploads/${id}`, 'admin')).statusCode).toBe(200);
    expect((await get(`/api/v1/uploads/${id}`, 'alice')).statusCode).toBe(200);
    expect((await get(`/api/v1/uploads/${id}`, 'memberB')).statusCode).toBe(404);
    expect((await get(`/api/v1/uploads/${id}`, 'bob')).statusCode).toBe(404);
  });

  it('also follows a ticket that lists the image in imageIds', async () => {
    const { id } = await uploadImage('alice');
    await insertTicket(idOf('alice'), studioB, [new Types.ObjectId(id)]);
    await imageChecksSettled(stack);
    expect((await get(`/api/v1/uploads/${id}`, 'memberB')).statusCode).toBe(200);
    expect((await get(`/api/v1/uploads/${id}`, 'memberA')).statusCode).toBe(404);
  });

  describe('claimUploadsForTicket', () => {
    const owner = () => new Types.ObjectId(idOf('alice'));
    const rejects = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        code: 'VALIDATION_FAILED',
        statusCode: 400,
        userMessage: '图片无效或已被使用，请重新上传',
      });
    };

    it("attaches the owner's uploads and is a no-op when repeated for the same ticket", async () => {
      const a = await uploadImage('alice');
      const b = await uploadImage('alice');
      const ticketId = new Types.ObjectId();
      const claimed = await claimUploadsForTicket(stack.app.models, owner(), [a.id, b.id, a.id], ticketId);
      expect(claimed.map(String)).toEqual([a.id, b.id]);
      const docs = await stack.app.models.Upload.find({ _id: { $in: claimed } }).lean();
      expect(docs.every((d) => d.ticketId?.equals(ticketId))).toBe(true);

      const again = await claimUploadsForTicket(stack.app.models, owner(), [a.id, b.id], ticketId);
      expect(again.map(String)).toEqual([a.id, b.id]);
      expect(await claimUploadsForTicket(stack.app.models, owner(), [], ticketId)).toEqual([]);
    });

    it("rejects someone else's upload and leaves everything unattached", async () => {
      const mine = await uploadImage('alice');
      const theirs = await uploadImage('bob');
      await rejects(claimUploadsForTicket(stack.app.models, owner(), [mine.id, theirs.id], new Types.ObjectId()));
      const docs = await stack.app.models.Upload.find({ _id: { $in: [mine.id, theirs.id] } }).lean();
      expect(docs.map((d) => d.ticketId)).toEqual([null, null]);
    });

    it('rejects an upload already attached to another ticket', async () => {
      const { id } = await uploadImage('alice');
      const first = new Types.ObjectId();
      await claimUploadsForTicket(stack.app.models, owner(), [id], first);
      await rejects(claimUploadsForTicket(stack.app.models, owner(), [id], new Types.ObjectId()));
      expect((await stack.app.models.Upload.findById(id).lean())?.ticketId?.equals(first)).toBe(true);
    });

    it('rejects unknown and malformed ids', async () => {
      await rejects(
        claimUploadsForTicket(stack.app.models, owner(), [new Types.ObjectId().toHexString()], new Types.ObjectId()),
      );
      await rejects(claimUploadsForTicket(stack.app.models, owner(), ['../etc/passwd'], new Types.ObjectId()));
    });
  });

  it('limits a user to 60 uploads an hour', async () => {
    const tiny = fakeJpeg(64);
    for (let i = 0; i < 60; i++) {
      const res = await upload('busy', [{ name: 'file', filename: `${i}.jpg`, data: tiny }]);
      expect(res.statusCode).toBe(201);
    }
    const res = await upload('busy', [{ name: 'file', filename: 'one-more.jpg', data: tiny }]);
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('RATE_LIMITED');
    expect(res.headers['retry-after']).toBeDefined();
    // Others are unaffected.
    await uploadImage('bob');
  });

  it('describes both routes in the OpenAPI document', async () => {
    const doc = (await stack.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const post = doc.paths['/api/v1/uploads'].post;
    const getOp = doc.paths['/api/v1/uploads/{id}'].get;
    expect(post).toMatchObject({ operationId: 'createUpload', tags: ['uploads'] });
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '413', '415', '429']));
    expect(getOp).toMatchObject({ operationId: 'getUpload', tags: ['uploads'] });
    expect(Object.keys(getOp.responses['200'].content)).toEqual(['image/jpeg', 'image/png', 'image/webp']);
  });
});
