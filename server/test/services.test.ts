import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import mongoose, { Schema } from 'mongoose';
import {
  acquireDataDirLock,
  canConnect,
  findFreePort,
  ServiceStartError,
  startDatabase,
  startRedis,
} from '../../scripts/services';
import { startTestServices, type TestServices } from './helpers/services';

interface Item {
  sku: string;
  stock: number;
}

const itemSchema = new Schema<Item>({
  sku: { type: String, required: true, unique: true },
  stock: { type: Number, required: true },
});

async function connectDb(uri: string): Promise<mongoose.Connection> {
  return mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
}

async function withRedis<T>(url: string, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

async function expectStartError(
  promise: Promise<unknown>,
  reason: ServiceStartError['reason'],
): Promise<ServiceStartError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ServiceStartError);
    const startError = err as ServiceStartError;
    expect(startError.reason).toBe(reason);
    return startError;
  }
  throw new Error(`expected a ServiceStartError with reason ${reason}`);
}

describe('test services (database + Redis)', () => {
  let services: TestServices;

  beforeAll(async () => {
    services = await startTestServices({ persistence: true });
  });

  afterAll(async () => {
    await services?.stop();
  });

  it('runs a mongoose round trip: unique index, duplicate rejected, guarded update', async () => {
    const conn = await connectDb(services.mongoUri);
    try {
      const Items = conn.model<Item>('Item', itemSchema);
      await Items.init();
      await Items.create({ sku: 'A-1', stock: 2 });

      await expect(Items.create({ sku: 'A-1', stock: 5 })).rejects.toMatchObject({ code: 11000 });

      // Guarded decrement: succeeds while stock > 0, then matches nothing.
      const take = () =>
        Items.findOneAndUpdate({ sku: 'A-1', stock: { $gt: 0 } }, { $inc: { stock: -1 } }, { new: true });
      expect((await take())?.stock).toBe(1);
      expect((await take())?.stock).toBe(0);
      expect(await take()).toBeNull();

      const readBack = await Items.findOne({ sku: 'A-1' }).lean();
      expect(readBack?.stock).toBe(0);
      expect(await Items.countDocuments()).toBe(1);
    } finally {
      await conn.close();
    }
  });

  it('starts Redis with persistence and noeviction', async () => {
    await withRedis(services.redisUrl, async (client) => {
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    });
  });

  it('keeps data across stop() and restart() on the same port', async () => {
    const conn = await connectDb(services.mongoUri);
    try {
      await conn.collection('survivors').insertOne({ name: 'kept' });
    } finally {
      await conn.close();
    }
    await withRedis(services.redisUrl, (client) => client.set('survivor', 'kept'));

    await Promise.all([services.db.stop(), services.redis.stop()]);
    await services.db.stop(); // idempotent
    expect(await canConnect(services.db.port)).toBe(false);
    expect(await canConnect(services.redis.port)).toBe(false);

    await Promise.all([services.db.restart(), services.redis.restart()]);
    expect(services.mongoUri).toBe(services.db.uri);

    const again = await connectDb(services.mongoUri);
    try {
      expect(await again.collection('survivors').findOne({ name: 'kept' })).toMatchObject({ name: 'kept' });
    } finally {
      await again.close();
    }
    expect(await withRedis(services.redisUrl, (client) => client.get('survivor'))).toBe('kept');
  });

  it('comes back after kill() (SIGKILL) with restart()', async () => {
    await services.redis.kill();
    expect(await canConnect(services.redis.port)).toBe(false);
    await services.redis.restart();
    expect(await withRedis(services.redisUrl, (client) => client.get('survivor'))).toBe('kept');
  });
});

describe('start failures are reported clearly', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mss-test-'));
  });

  afterAll(async () => {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  });

  it("reports 'port_taken' when the port is occupied", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const dbError = await expectStartError(startDatabase({ dataDir: path.join(tmp, 'busy'), port }), 'port_taken');
      expect(dbError.message).toContain(String(port));
      await expectStartError(startRedis({ dataDir: path.join(tmp, 'busy'), port, persistence: false }), 'port_taken');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("reports 'data_dir' when the data folder cannot be created", async () => {
    // Running as root defeats chmod, but nothing can create a folder below a regular file.
    const file = path.join(tmp, 'afile');
    await fs.promises.writeFile(file, 'not a folder');
    const dataDir = path.join(file, 'sub');
    const dbError = await expectStartError(startDatabase({ dataDir }), 'data_dir');
    expect(dbError.message).toContain(dataDir);
    await expectStartError(startRedis({ dataDir, persistence: true }), 'data_dir');
  });

  it("reports 'binary_missing' with a setup hint when redis-server is not on PATH", async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(tmp, 'empty-bin');
    try {
      const error = await expectStartError(
        startRedis({ dataDir: path.join(tmp, 'nobin'), persistence: false }),
        'binary_missing',
      );
      expect(error.hint).toContain('npm run setup');
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('picks free ports that can be bound', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    expect(await canConnect(port)).toBe(false);
  });
});

describe('DATA_DIR lock', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mss-test-'));
  });

  afterEach(async () => {
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('refuses a second holder while the first is alive', async () => {
    const lock = await acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, '.lock'), 'utf8').trim()).toBe(String(process.pid));
    await expect(acquireDataDirLock(dir)).rejects.toThrow(/already running.*pid \d+/);
    await lock.release();
    await lock.release(); // idempotent
    expect(fs.existsSync(path.join(dir, '.lock'))).toBe(false);
    const again = await acquireDataDirLock(dir);
    await again.release();
  });

  it('takes over a stale lock left by a dead process', async () => {
    // A pid above the default pid_max (4194304) can never be alive.
    fs.writeFileSync(path.join(dir, '.lock'), '99999999\n');
    const lock = await acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, '.lock'), 'utf8').trim()).toBe(String(process.pid));
    await lock.release();
  });
});
