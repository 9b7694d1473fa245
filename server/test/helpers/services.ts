import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceStartError, startDatabase, startRedis, type ManagedService } from '../../../scripts/services';

export interface TestServices {
  mongoUri: string;
  redisUrl: string;
  db: ManagedService;
  redis: ManagedService;
  tmpDir: string;
  /** Stop both services and remove the temp folder. Idempotent. */
  stop(): Promise<void>;
}

export interface StartTestServicesOptions {
  /** Redis append-only file on (default false: memory only). */
  persistence?: boolean;
  /** Database name in mongoUri; defaults to "test". */
  dbName?: string;
}

/** Retry on a fresh free port when another process grabs ours between pick and start. */
async function withPortRetry(start: () => Promise<ManagedService>, attempts = 5): Promise<ManagedService> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (err instanceof ServiceStartError && err.reason === 'port_taken' && attempt < attempts) continue;
      throw err;
    }
  }
}

const openTmpDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // The launchers already signal their children on exit; here we remove leftover folders.
  process.on('exit', () => {
    for (const dir of openTmpDirs) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
  });
}

/**
 * Start a private database and Redis on free ports, with data in a fresh temp folder.
 * Call `stop()` in afterAll. Parallel test runs never share ports or folders.
 */
export async function startTestServices(opts: StartTestServicesOptions = {}): Promise<TestServices> {
  const tmpDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mss-test-'));
  openTmpDirs.add(tmpDir);
  installExitHook();

  const started: ManagedService[] = [];
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.allSettled(started.map((service) => service.stop()));
      await fs.promises.rm(tmpDir, { recursive: true, force: true, maxRetries: 3 });
      openTmpDirs.delete(tmpDir);
    })();
    return stopping;
  };

  const results = await Promise.allSettled([
    withPortRetry(() => startDatabase({ dataDir: path.join(tmpDir, 'db'), dbName: opts.dbName ?? 'test' })),
    withPortRetry(() => startRedis({ dataDir: path.join(tmpDir, 'redis'), persistence: opts.persistence ?? false })),
  ]);
  for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
  const [dbResult, redisResult] = results;
  if (dbResult.status === 'rejected' || redisResult.status === 'rejected') {
    await stop();
    const failure = dbResult.status === 'rejected' ? dbResult.reason : (redisResult as PromiseRejectedResult).reason;
    throw failure;
  }
  const db = dbResult.value;
  const redis = redisResult.value;
  return { mongoUri: db.uri, redisUrl: redis.uri, db, redis, tmpDir, stop };
}
