import { loadConfig, type Config } from '../../../server/src/config';

/** The fake WeChat's app and the admin password every bench signs in with. */
export const BENCH_APPID = 'wx-bench-appid';
export const BENCH_SECRET = 'bench-app-secret';
export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';

interface BenchServices {
  mongoUri: string;
  redisUri: string;
  wechatUrl: string;
  dataDir: string;
  logLevel?: string;
}

/**
 * The API's configuration for a bench: its private database, Redis and fake WeChat, quiet logs, and
 * whatever limits the bench raises (`extra`, e.g. RATE_LIMIT_*).
 */
export function benchConfig(services: BenchServices, extra: Record<string, string> = {}): Config {
  return loadConfig(benchEnv(services, extra));
}

/** The same configuration as environment variables, for a bench's child processes (the worker). */
export function benchEnv(services: BenchServices, extra: Record<string, string> = {}): Record<string, string> {
  return {
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
  };
}

/** Runs a bench's main and exits: 0 when it finished, 1 with the error printed when it failed. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
