/**
 * `npm start`: the whole product on embedded defaults with demo data.
 * Builds the H5 app when it is missing or older than its sources, starts the database and Redis
 * (unless MONGODB_URI / REDIS_URL are given), the fake WeChat server, seeds the demo data, starts
 * the API and the worker, prints the URLs, and stops everything on Ctrl-C. Each child is supervised:
 * one that exits is started again (see lib/supervisor), while the others keep serving.
 */
import fs from 'node:fs';
import path from 'node:path';
import { acquireDataDirLock, repoRoot, startDatabase, startRedis, type ManagedService } from './services';
import { loadLocalSecrets } from './lib/local-secrets';
import { spawnTsNode, waitForHttpOk, waitForReadyMessage, type NodeChild } from './lib/children';
import { seedDatabase } from './lib/seed-database';
import { ensureH5Build, H5_DIR } from './lib/h5-build';
import { Supervisor } from './lib/supervisor';

const say = (line: string) => process.stdout.write(`[start] ${line}\n`);

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a port number between 1 and 65535 (got "${raw}")`);
  }
  return port;
}

async function main() {
  const startedAt = Date.now();
  const apiPort = portFromEnv('PORT', 3000);
  const fakePort = portFromEnv('WECHAT_FAKE_PORT', 3100);
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(repoRoot, '.data'));
  const logDir = path.join(dataDir, 'logs');
  const statusFile = path.join(dataDir, 'supervisor.json');

  const lock = await acquireDataDirLock(dataDir);
  const supervisor = new Supervisor({
    statusFile,
    say,
    backoffMs: Number(process.env.SUPERVISOR_BACKOFF_MS) || undefined,
  });
  // What runs now, in start order; stopped in reverse. A restart replaces a child's entry.
  const services = new Map<string, ManagedService>();
  const children = new Map<string, NodeChild>();
  let stopping = false;

  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    supervisor.stop();
    say('stopping…');
    for (const child of [...children.values()].reverse()) await child.stop().catch(() => undefined);
    for (const service of [...services.values()].reverse()) await service.stop().catch(() => undefined);
    await lock.release();
    say('stopped');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  /** A database or Redis of our own: started once, then restarted on the same port and data. */
  const superviseService = (name: string, launch: () => Promise<ManagedService>) =>
    supervisor.add({
      name,
      start: async () => {
        const existing = services.get(name);
        if (existing) await existing.restart();
        else services.set(name, await launch());
        const service = services.get(name)!;
        return { pid: service.pid(), exited: service.whenExited() };
      },
    });
  /** A Node process of ours (API, worker, fake WeChat): spawned again on each start. */
  const superviseNode = (
    name: string,
    entry: string,
    env: NodeJS.ProcessEnv,
    ready: (child: NodeChild) => Promise<void>,
  ) =>
    supervisor.add({
      name,
      start: async () => {
        const child = spawnTsNode(name, entry, env, logDir);
        children.set(name, child);
        await ready(child);
        return { pid: child.process.pid, exited: child.exited };
      },
    });

  try {
    // Before the API starts, which serves whatever dist/h5 holds under /app/.
    const h5 = await ensureH5Build({ say, logFile: path.join(logDir, 'h5-build.log') });
    if (h5.error) say(`${h5.error}; starting without the H5 app`);

    let mongodbUri = process.env.MONGODB_URI;
    if (mongodbUri) {
      say('database: using MONGODB_URI');
    } else {
      await superviseService('database', () =>
        startDatabase({
          dataDir: path.join(dataDir, 'db'),
          dbName: 'mashangshang',
          port: portFromEnv('MONGODB_PORT', 27117),
        }),
      );
      const db = services.get('database')!;
      mongodbUri = db.uri;
      say(`database: ${db.kind} on ${db.uri} (data in ${db.dataDir})`);
    }

    let redisUrl = process.env.REDIS_URL;
    if (redisUrl) {
      say('redis: using REDIS_URL');
    } else {
      await superviseService('redis', () =>
        startRedis({ dataDir: path.join(dataDir, 'redis'), persistence: true, port: portFromEnv('REDIS_PORT', 6479) }),
      );
      const redis = services.get('redis')!;
      redisUrl = redis.uri;
      say(`redis: ${redis.uri} (append-only file in ${redis.dataDir})`);
    }

    const secrets = loadLocalSecrets(dataDir);
    const adminPassword = process.env.ADMIN_PASSWORD || secrets.adminPassword;
    const appId = process.env.WECHAT_APPID ?? 'wx-demo-appid';
    const appSecret = process.env.WECHAT_SECRET ?? 'demo-app-secret';

    const fakeUrl = `http://127.0.0.1:${fakePort}`;
    await superviseNode(
      'fake-wechat',
      path.join(repoRoot, 'server/src/wechat/fake/main.ts'),
      {
        ...process.env,
        WECHAT_FAKE_PORT: String(fakePort),
        WECHAT_APPID: appId,
        WECHAT_SECRET: appSecret,
        // The fake pushes image check verdicts to the API, as WeChat does to the URL set in its console.
        WECHAT_FAKE_PUSH_URL: `${(process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${apiPort}`).replace(/\/$/, '')}/api/v1/wechat/push`,
      },
      (child) => waitForHttpOk(`${fakeUrl}/__fake/stats`, child, 20_000),
    );
    say(`fake WeChat: ${fakeUrl}`);

    const seeded = await seedDatabase(mongodbUri, adminPassword);
    say(`demo data: ${seeded.studios} studios, ${seeded.members} members (existing records left as they are)`);

    const apiEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      PORT: String(apiPort),
      MONGODB_URI: mongodbUri,
      REDIS_URL: redisUrl,
      WECHAT_API_BASE: process.env.WECHAT_API_BASE ?? fakeUrl,
      WECHAT_APPID: appId,
      WECHAT_SECRET: appSecret,
      JWT_SECRET: process.env.JWT_SECRET ?? secrets.jwtSecret,
      PHONE_ENCRYPTION_KEY: process.env.PHONE_ENCRYPTION_KEY ?? secrets.phoneKey,
      ADMIN_PASSWORD: adminPassword,
      DATA_DIR: dataDir,
      // The API reports the children's restarts on /readyz.
      SUPERVISOR_STATUS_FILE: statusFile,
    };
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await superviseNode('api', path.join(repoRoot, 'server/src/main.ts'), apiEnv, (child) =>
      waitForHttpOk(`${apiUrl}/readyz`, child, 60_000),
    );
    // The worker delivers notices and runs deadlines; it shares the API's configuration.
    await superviseNode('worker', path.join(repoRoot, 'server/src/worker.ts'), apiEnv, (child) =>
      waitForReadyMessage(child, 60_000),
    );

    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    process.stdout.write(
      [
        '',
        `码上商 is running (ready in ${seconds} s). Press Ctrl-C to stop.`,
        `  API           ${apiUrl}/api/v1`,
        `  OpenAPI UI    ${apiUrl}/docs   (document: ${apiUrl}/docs/json)`,
        `  Health        ${apiUrl}/healthz   ${apiUrl}/readyz`,
        `  Fake WeChat   ${fakeUrl}`,
        fs.existsSync(path.join(H5_DIR, 'index.html'))
          ? `  H5 app        ${apiUrl}/app/   (admin console: ${apiUrl}/app/admin/board/index)`
          : `  H5 app        not available: its build failed (see ${path.join(logDir, 'h5-build.log')})`,
        `  Worker        notices and deadlines (log: ${children.get('worker')!.logFile})`,
        `  Admin login   username "admin", password "${adminPassword}"${process.env.ADMIN_PASSWORD ? ' (from ADMIN_PASSWORD)' : ` (generated, kept in ${path.join(dataDir, 'secrets.json')})`}`,
        `  Logs          ${logDir}`,
        `  Supervision   a child that exits is started again; restarts in ${statusFile} and on /readyz`,
        '',
      ].join('\n') + '\n',
    );
  } catch (error) {
    process.stderr.write(`[start] failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
