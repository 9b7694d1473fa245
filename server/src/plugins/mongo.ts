import fp from 'fastify-plugin';
import mongoose, { type Connection } from 'mongoose';
import type { FastifyInstance } from 'fastify';
import { registerModels, type Models } from '../models';
import { watchDatabase } from '../lib/database-watchdog';

declare module 'fastify' {
  interface FastifyInstance {
    mongo: Connection;
    models: Models;
  }
}

const PING_TIMEOUT_MS = 1500;

/** Resolves true when the database answers a ping within a short time. */
export async function pingDatabase(connection: Connection): Promise<boolean> {
  const db = connection.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ping = db.admin().ping();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database ping timed out')), PING_TIMEOUT_MS);
    });
    await Promise.race([ping, timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One mongoose connection per app instance (not the global default), so tests can run
 * several apps side by side. Indexes are built at start-up so they exist before traffic.
 */
export default fp(
  async function mongoPlugin(app: FastifyInstance, opts: { uri: string }) {
    const connectOptions = {
      // Fail a request in seconds when the database is gone, rather than hanging it.
      serverSelectionTimeoutMS: 3000,
      // Never queue operations in memory while disconnected: answer 503 at once instead.
      bufferCommands: false,
      maxPoolSize: 20,
    };
    const connection = mongoose.createConnection(opts.uri, connectOptions);
    await connection.asPromise();
    // A client stuck after a database restart would answer 503 until the process restarts.
    const watchdog = watchDatabase(connection, {
      uri: opts.uri,
      connectOptions,
      ping: () => pingDatabase(connection),
      onReconnect: (reason) => app.log.warn({ reason }, 'database client replaced'),
    });
    const models = registerModels(connection);
    await Promise.all(Object.values(models).map((model) => model.init()));
    app.decorate('mongo', connection);
    app.decorate('models', models);
    app.addHook('onClose', async () => {
      watchdog.stop();
      await connection.close();
    });
  },
  { name: 'mongo' },
);
