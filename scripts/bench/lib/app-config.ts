import { loadConfig, type Config } from '../../../server/src/config';

/** The fake WeChat's app and the admin password every bench signs in with. */
export const BENCH_APPID = 'wx-bench-appid';
export const BENCH_SECRET = 'bench-app-secret';
export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';

/**
 * The API's configuration for a bench: its private database, Redis and fake WeChat, quiet logs, and
 * whatever limits the bench raises (`extra`, e.g. RATE_LIMIT_*).
 */
export function benchConfig(services: { mongoUri: string; redisUri: string; wechatUrl: string; dataDir: string; logLevel?: string }, extra: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: services.logLevel ?? 'warn',
    MONGODB_URI: services.mongoUri,
    REDIS_URL: services.redisUri,
    WECHAT_API_BASE: services.wechatUrl,
    WECHAT_APPID: BENCH_APPID,
    WECHAT_SECRET: BENCH_SECRET,
    ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    DATA_DIR: services.dataDir,
    ...extra,
  });
}

/** Runs a bench's main and exits: 0 when it finished, 1 with the error printed when it failed. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
