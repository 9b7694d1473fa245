import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ferretPatchLevel } from '../../lib/ferretdb-build';
import {
  FERRETDB_VERSION,
  resolveDatabaseBinary,
  startDatabase,
  startRedis,
  redisCommand,
  type ManagedService,
} from '../../services';

/** A private database and Redis on free ports in a temp folder, removed on stop. */
export interface BenchServices {
  db: ManagedService;
  redis: ManagedService;
  /** e.g. "FerretDB v1.24.2 (SQLite)" or "mongod". */
  databaseKind: string;
  redisVersion: string;
  tmpDir: string;
  stop(): Promise<void>;
}

export async function startBenchServices(): Promise<BenchServices> {
  const tmpDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mss-bench-'));
  const [db, redis] = await Promise.all([
    startDatabase({ dataDir: path.join(tmpDir, 'db'), dbName: 'bench' }),
    startRedis({ dataDir: path.join(tmpDir, 'redis'), persistence: false }),
  ]);
  const info = await redisCommand('127.0.0.1', redis.port, ['INFO', 'server']);
  const redisVersion = typeof info === 'string' ? (/^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown') : 'unknown';
  return {
    db,
    redis,
    databaseKind: db.kind === 'ferretdb' ? `FerretDB ${FERRETDB_VERSION} (SQLite backend${ferretPatches()})` : db.kind,
    redisVersion,
    tmpDir,
    async stop() {
      await Promise.allSettled([db.stop(), redis.stop()]);
      await fs.promises.rm(tmpDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/**
 * Waits for `work` at most `ms`: an overloaded API may still be working off requests the load
 * generator already gave up on, and closing it would wait for all of them before the bench could stop.
 */
export async function within(ms: number, work: Promise<unknown> | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.resolve(work).catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/** ", patched: <level>" when the FerretDB that runs was built by setup with its patches (see scripts/lib/ferretdb-build.ts). */
function ferretPatches(): string {
  const binary = resolveDatabaseBinary();
  const level = binary ? ferretPatchLevel(binary.path) : null;
  return level ? `, patched: ${level}` : ', upstream';
}
