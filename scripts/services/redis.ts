import path from 'node:path';
import { launchManagedProcess, ServiceStartError, which, type ManagedService, type ProbeResult } from './common';
import { findFreePort } from './ports';
import { redisCommand } from './wire';

export interface StartRedisOptions {
  /** Root data folder; Redis keeps its files (AOF) in <dataDir>/redis. */
  dataDir: string;
  /** Defaults to a free port. */
  port?: number;
  /** Append-only file on (survives restarts) or off (memory only). */
  persistence: boolean;
  onLog?: (line: string) => void;
  /** Total time to wait for PONG; defaults to 20 s. */
  readyTimeoutMs?: number;
}

export function resolveRedisBinary(): string | null {
  return which('redis-server');
}

function redisProbe(host: string, port: number) {
  return async (pid: number): Promise<ProbeResult> => {
    // PING fails with -LOADING while the AOF is being replayed: not ready yet.
    if ((await redisCommand(host, port, ['PING'])) !== 'PONG') return 'not_ready';
    const info = await redisCommand(host, port, ['INFO', 'server']);
    const match = typeof info === 'string' ? /^process_id:(\d+)/m.exec(info) : null;
    if (match && Number(match[1]) !== pid) return 'foreign';
    return 'ready';
  };
}

/** Start a private redis-server bound to 127.0.0.1 and wait until it answers PING. */
export async function startRedis(opts: StartRedisOptions): Promise<ManagedService> {
  const dataDir = path.resolve(opts.dataDir);
  const host = '127.0.0.1';
  const binary = resolveRedisBinary();
  if (!binary) {
    throw new ServiceStartError(
      'Redis',
      'binary_missing',
      'redis-server was not found on PATH',
      'run `npm run setup` (installs redis-server with apt-get when root), or `sudo apt-get install -y redis-server`, or set REDIS_URL',
    );
  }
  const port = opts.port ?? (await findFreePort(host));
  const redisDir = path.join(dataDir, 'redis');
  const logsDir = path.join(dataDir, 'logs');
  return launchManagedProcess({
    kind: 'redis',
    displayName: 'Redis',
    command: binary,
    args: [
      '--port',
      String(port),
      '--bind',
      host,
      '--dir',
      redisDir,
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--appendonly',
      opts.persistence ? 'yes' : 'no',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
      '--logfile',
      '',
    ],
    host,
    port,
    dataDir,
    uri: `redis://${host}:${port}`,
    logFile: path.join(logsDir, 'redis.log'),
    writableDirs: [dataDir, redisDir, logsDir],
    readyTimeoutMs: opts.readyTimeoutMs ?? 20_000,
    stopTimeoutMs: 10_000,
    missingBinaryHint: 'run `npm run setup`, or `sudo apt-get install -y redis-server`',
    probe: redisProbe(host, port),
    ...(opts.onLog ? { onLog: opts.onLog } : {}),
  });
}
