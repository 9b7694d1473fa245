import mongoose from 'mongoose';
import { startTestServices, type TestServices } from './helpers/services';
import { eventually } from './helpers/app';
import { registerModels } from '../src/models';
import { driverLostServers, singleHostOf, watchDatabase } from '../src/lib/database-watchdog';
import { pingDatabase } from '../src/plugins/mongo';

/**
 * The database watchdog (found by the fault matrix: after a database restart under load the driver
 * could stay stuck on "connection N closed" for good). Being stuck is simulated here by a ping that
 * fails while the database is up; the real case is exercised by server/test/fault-matrix.test.ts.
 */
describe('database watchdog', () => {
  let services: TestServices;
  let connection: mongoose.Connection;
  const connectOptions = { serverSelectionTimeoutMS: 3000, bufferCommands: false };

  beforeAll(async () => {
    services = await startTestServices();
    connection = await mongoose.createConnection(services.mongoUri, connectOptions).asPromise();
  });
  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    await services?.stop();
  });

  it('reads host and port of single-host URIs only', () => {
    expect(singleHostOf('mongodb://127.0.0.1:27117/mashangshang')).toEqual({ host: '127.0.0.1', port: 27117 });
    expect(singleHostOf('mongodb://user:pw@db.internal/app?authSource=admin')).toEqual({
      host: 'db.internal',
      port: 27017,
    });
    expect(singleHostOf('mongodb+srv://cluster.example.net/app')).toBeNull();
    expect(singleHostOf('mongodb://a:1,b:2/app')).toBeNull();
  });

  it('replaces a client that cannot reach a database that is up, and the same models keep working', async () => {
    const models = registerModels(connection);
    const probe = await models.User.create({ openid: 'watchdog-probe' });
    const stuckClient = connection.getClient();
    let stuckPings = 5;
    const reasons: string[] = [];
    const watchdog = watchDatabase(connection, {
      uri: services.mongoUri,
      connectOptions,
      ping: async () => (stuckPings-- > 0 ? false : pingDatabase(connection)),
      // The driver's "server unknown" state after a restart cannot be produced on demand here.
      lost: () => stuckPings >= 0,
      onReconnect: (reason) => reasons.push(reason),
      intervalMs: 100,
    });
    try {
      await eventually(async () => connection.getClient() !== stuckClient && connection.readyState === 1, 20_000, 50);
      expect(reasons).toHaveLength(1);
      expect((await models.User.findById(probe._id).lean())?.openid).toBe('watchdog-probe');
    } finally {
      watchdog.stop();
    }
  });

  it('leaves a client alone that still knows its server, however slow the pings', async () => {
    const reasons: string[] = [];
    let pings = 0;
    const client = connection.getClient();
    const watchdog = watchDatabase(connection, {
      uri: services.mongoUri,
      connectOptions,
      ping: async () => {
        pings += 1;
        return false;
      },
      onReconnect: (reason) => reasons.push(reason),
      intervalMs: 100,
    });
    try {
      await eventually(async () => pings >= 8, 20_000, 50);
      expect(driverLostServers(connection)).toBe(false);
      expect(reasons).toEqual([]);
      expect(connection.getClient()).toBe(client);
    } finally {
      watchdog.stop();
    }
  });

  it('leaves the client alone while the database is really down (its port refuses)', async () => {
    await services.db.stop();
    const reasons: string[] = [];
    let pings = 0;
    const watchdog = watchDatabase(connection, {
      uri: services.mongoUri,
      connectOptions,
      ping: async () => {
        pings += 1;
        return false;
      },
      lost: () => true,
      onReconnect: (reason) => reasons.push(reason),
      intervalMs: 100,
    });
    const client = connection.getClient();
    try {
      await eventually(async () => pings >= 8, 20_000, 50);
      expect(reasons).toEqual([]);
      expect(connection.getClient()).toBe(client);
    } finally {
      watchdog.stop();
      await services.db.restart();
    }
  });
});
