import { Writable } from 'node:stream';
import { Types } from 'mongoose';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { DEV_PUSH_TOKEN, loadConfig, type Config } from '../../src/config';
import { findFreePort } from '../../../scripts/services/ports';
import { startFakeWechat } from '../../src/wechat/fake/server';
import { startTestServices, type TestServices } from './services';
import { withDocumentLock } from '../../src/lib/document-lock';

export const TEST_APPID = 'wx-test-appid';
export const TEST_SECRET = 'test-app-secret';
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

/** Every log line the app wrote, as parsed JSON, to assert what must never be logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: string, callback: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestStack {
  app: FastifyInstance;
  services: TestServices;
  config: Config;
  wechatUrl: string;
  logs: LogCapture;
  close(): Promise<void>;
}

/**
 * A whole API on private services: its own database, Redis and fake WeChat server.
 * Logs are captured at debug level so tests can check nothing sensitive is written.
 * The API also listens on a free port (PUBLIC_BASE_URL), because the fake WeChat fetches uploaded
 * images from it and pushes their check verdicts to it, as WeChat does; tests call it with inject.
 */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const services = await startTestServices();
  const port = await findFreePort();
  const publicBaseUrl = env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${port}`;
  const fake = await startFakeWechat({
    appId: TEST_APPID,
    appSecret: TEST_SECRET,
    push: { url: `${publicBaseUrl}/api/v1/wechat/push`, token: env.WECHAT_PUSH_TOKEN ?? DEV_PUSH_TOKEN },
    // Not configuration of the API: how long the fake takes to judge an image (tests of the pending state raise it).
    mediaCheckDelayMs:
      env.FAKE_MEDIA_CHECK_DELAY_MS === 'manual' ? 'manual' : Number(env.FAKE_MEDIA_CHECK_DELAY_MS ?? 50),
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    MONGODB_URI: services.mongoUri,
    REDIS_URL: services.redisUrl,
    WECHAT_API_BASE: fake.url,
    WECHAT_APPID: TEST_APPID,
    WECHAT_SECRET: TEST_SECRET,
    WECHAT_TIMEOUT_MS: '1500',
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    DATA_DIR: services.tmpDir,
    // Every test caller signs in from 127.0.0.1; suites that test the limit set it lower.
    RATE_LIMIT_LOGIN_PER_MINUTE: '10000',
    PUBLIC_BASE_URL: publicBaseUrl,
    ...env,
  });
  const logs = new LogCapture();
  let app: FastifyInstance;
  try {
    app = await buildApp(config, { logStream: logs });
    await app.ready();
    await app.listen({ port, host: '127.0.0.1' });
  } catch (error) {
    await fake.close();
    await services.stop();
    throw error;
  }
  return {
    app,
    services,
    config,
    wechatUrl: fake.url,
    logs,
    async close() {
      await app.close().catch(() => undefined);
      await fake.close();
      await services.stop();
    },
  };
}

/** Waits until WeChat's (fake) check has judged every uploaded image, as members only see passed ones. */
export async function imageChecksSettled(stack: Pick<TestStack, 'app'>, timeoutMs = 20_000): Promise<void> {
  await eventually(
    async () => (await stack.app.models.MediaCheck.countDocuments({ state: 'pending' })) === 0,
    timeoutMs,
  );
}

/** Polls until `check` is true, for state that settles asynchronously (reconnects). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/**
 * Rewrites fields of stored tickets as a test's shortcut (a deadline or a resolve moved into the
 * past), under each ticket's lock like every workflow write: FerretDB applies an update as a read and
 * a write, so an unlocked write racing a worker's (a notice marked delivered) could be lost.
 */
export async function rewriteTickets(
  stack: Pick<TestStack, 'app'>,
  ids: string | string[],
  set: Record<string, unknown>,
): Promise<void> {
  for (const id of Array.isArray(ids) ? ids : [ids])
    await withDocumentLock(stack.app.redis, `ticket:${id}`, async () => {
      // The driver, not mongoose: mongoose would drop an immutable createdAt.
      await stack.app.models.Ticket.collection.updateOne({ _id: new Types.ObjectId(id) }, { $set: set });
    });
}
