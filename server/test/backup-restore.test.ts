import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';
import { backupDatabase, restoreDatabase } from '../../scripts/lib/backup';

const repoRoot = path.resolve(__dirname, '../..');

/** Every collection's documents, sorted, in canonical form: the thing a restore must reproduce. */
async function snapshot(uri: string): Promise<Record<string, unknown[]>> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    const db = connection.db!;
    const out: Record<string, unknown[]> = {};
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      const docs = await db.collection(name).find().sort({ _id: 1 }).toArray();
      if (docs.length > 0)
        out[name] = docs.map((d) => JSON.parse(mongoose.mongo.BSON.EJSON.stringify(d, { relaxed: false })));
    }
    return out;
  } finally {
    await connection.close();
  }
}

describe('backup and restore of the embedded database', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('backs up, survives a wipe, and restores exactly what was there, indexes included', async () => {
    await seedDemoData(stack.app.models);
    const admin = await signInAdmin(stack.app);
    const studio = await stack.app.models.Studio.findOne({ code: 'hngs' }).lean();
    const member = await stack.app.models.Member.findOne({ studioIds: studio!._id }).lean();
    const memberCaller = await signInMember(stack.app, admin, String(member!._id), 'backup-member');
    const resident = await signInResident(stack.app, 'backup-resident');
    const ticket = (
      await stack.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { ...resident.headers, 'idempotency-key': idempotencyKey() },
        payload: {
          studioId: String(studio!._id),
          category: 'consult',
          content: '企业用工补贴怎么申请？',
          contactPhone: '13511112222',
        },
      })
    ).json();
    await stack.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/replies`,
      headers: memberCaller.headers,
      payload: { content: '可在人社局网站申请。' },
    });

    const before = await snapshot(stack.services.mongoUri);
    const dir = path.join(stack.services.tmpDir, 'backup');
    const manifest = await backupDatabase(stack.services.mongoUri, dir);
    expect(manifest.collections.tickets).toBe(1);

    // Wipe: drop the database, as a lost disk would.
    const connection = await mongoose.createConnection(stack.services.mongoUri).asPromise();
    await connection.db!.dropDatabase();
    await connection.close();
    expect(await snapshot(stack.services.mongoUri)).toEqual({});

    await restoreDatabase(stack.services.mongoUri, dir);
    expect(await snapshot(stack.services.mongoUri)).toEqual(before);

    // The product works on the restored data: the resident signs in as the same user and reads the reply,
    // and the unique index on openid is back.
    const again = await signInResident(stack.app, 'backup-resident');
    expect(again.userId).toBe(resident.userId);
    const detail = (
      await stack.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: again.headers })
    ).json();
    expect(detail.timeline.map((e: { type: string }) => e.type)).toContain('reply');
    expect(detail.contactPhone).toBe('13511112222');
    const user = await stack.app.models.User.findById(resident.userId).lean();
    await expect(stack.app.models.User.create({ openid: user!.openid })).rejects.toMatchObject({ code: 11000 });
  });

  it('refuses to restore over data, and the CLI says how to use it', async () => {
    const dir = path.join(stack.services.tmpDir, 'backup2');
    await backupDatabase(stack.services.mongoUri, dir);
    await expect(restoreDatabase(stack.services.mongoUri, dir)).rejects.toThrow(/not empty/);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/restore.ts')], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('usage');
    expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(true);
  });
});
