import path from 'node:path';
import {
  isExecutable,
  launchManagedProcess,
  ServiceStartError,
  toolsBinDir,
  which,
  type ManagedService,
  type ProbeResult,
} from './common';
import { findFreePort } from './ports';
import { mongoCommand } from './wire';

/** FerretDB version that `npm run setup` builds and the launcher expects. */
export { FERRETDB_VERSION } from '../lib/ferretdb-build';

export interface DatabaseBinary {
  kind: 'mongod' | 'ferretdb';
  path: string;
}

/**
 * Which MongoDB-wire server to run: a real `mongod` on PATH wins; otherwise the
 * FerretDB built by `npm run setup` into <repo>/.tools/bin, or `ferretdb` on PATH.
 */
export function resolveDatabaseBinary(): DatabaseBinary | null {
  const mongod = which('mongod');
  if (mongod) return { kind: 'mongod', path: mongod };
  const local = path.join(toolsBinDir, 'ferretdb');
  if (isExecutable(local)) return { kind: 'ferretdb', path: local };
  const onPath = which('ferretdb');
  if (onPath) return { kind: 'ferretdb', path: onPath };
  return null;
}

export interface StartDatabaseOptions {
  /** Root data folder; the server keeps its files in <dataDir>/mongod or <dataDir>/ferretdb. */
  dataDir: string;
  /** Defaults to a free port. */
  port?: number;
  /** Listen address; defaults to 127.0.0.1. */
  host?: string;
  /** Database name used in the returned URI; defaults to "mashangshang". */
  dbName?: string;
  /** Each output line of the server process. */
  onLog?: (line: string) => void;
  /** Total time to wait for the first successful ping; defaults to 20 s. */
  readyTimeoutMs?: number;
  /** Run this server instead of the one resolveDatabaseBinary finds (a bench comparing builds). */
  binary?: DatabaseBinary;
  /** More FerretDB flags (the pushdown differential test runs one instance with `--test-disable-pushdown`). */
  ferretdbArgs?: string[];
}

function databaseProbe(host: string, port: number) {
  return async (pid: number): Promise<ProbeResult> => {
    const ping = await mongoCommand(host, port, { ping: 1 });
    if (ping.ok !== 1) return 'not_ready';
    // Make sure it is *our* child answering, not another server that took the port.
    const status = await mongoCommand(host, port, { serverStatus: 1 }).catch(() => null);
    if (status && typeof status.pid === 'number' && status.pid !== pid) return 'foreign';
    return 'ready';
  };
}

/** Start a private mongod (if installed) or FerretDB (SQLite backend) and wait until it answers ping. */
export async function startDatabase(opts: StartDatabaseOptions): Promise<ManagedService> {
  const dataDir = path.resolve(opts.dataDir);
  const host = opts.host ?? '127.0.0.1';
  const dbName = opts.dbName ?? 'mashangshang';
  const binary = opts.binary ?? resolveDatabaseBinary();
  if (!binary) {
    throw new ServiceStartError(
      'database',
      'binary_missing',
      `neither mongod nor ferretdb was found (looked on PATH and in ${toolsBinDir})`,
      'run `npm run setup` (builds FerretDB into .tools/bin), or install MongoDB, or set MONGODB_URI',
    );
  }
  const port = opts.port ?? (await findFreePort(host));
  const logsDir = path.join(dataDir, 'logs');
  const common = {
    host,
    port,
    dataDir,
    uri: `mongodb://${host}:${port}/${dbName}`,
    readyTimeoutMs: opts.readyTimeoutMs ?? 20_000,
    stopTimeoutMs: 10_000,
    probe: databaseProbe(host, port),
    ...(opts.onLog ? { onLog: opts.onLog } : {}),
  };

  if (binary.kind === 'mongod') {
    const dbPath = path.join(dataDir, 'mongod');
    return launchManagedProcess({
      ...common,
      kind: 'mongod',
      displayName: 'mongod',
      command: binary.path,
      args: ['--dbpath', dbPath, '--port', String(port), '--bind_ip', host],
      logFile: path.join(logsDir, 'mongod.log'),
      writableDirs: [dataDir, dbPath, logsDir],
      missingBinaryHint: 'install MongoDB, or run `npm run setup` to build FerretDB instead',
    });
  }

  const ferretDir = path.join(dataDir, 'ferretdb');
  return launchManagedProcess({
    ...common,
    kind: 'ferretdb',
    displayName: 'FerretDB',
    command: binary.path,
    args: [
      '--handler=sqlite',
      // The SQLite URL must name a directory and end with a slash.
      `--sqlite-url=file:${ferretDir}/`,
      `--listen-addr=${host}:${port}`,
      `--state-dir=${ferretDir}`,
      // No debug HTTP listener (default 127.0.0.1:8088), so instances never collide.
      // FERRETDB_DEBUG_ADDR (host:port) serves Go's pprof there, for profiling a bench; off by default.
      `--debug-addr=${process.env.FERRETDB_DEBUG_ADDR ?? '-'}`,
      '--telemetry=disable',
      '--log-level=warn',
      ...(opts.ferretdbArgs ?? []),
    ],
    logFile: path.join(logsDir, 'ferretdb.log'),
    writableDirs: [dataDir, ferretDir, logsDir],
    missingBinaryHint: 'run `npm run setup` to build FerretDB into .tools/bin',
  });
}
