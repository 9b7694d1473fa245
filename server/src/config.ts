import path from 'node:path';
import { Type, type StaticDecode } from '@sinclair/typebox';
import { TEMPLATE_KEYS, literalUnion } from '@mashangshang/shared';
import { integer, keyed, readSettings, setting, url } from './env-settings';
import { OperationsConfigSchema } from './operations-config';

const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-in-production-0123456789';
/** Development-only message push token; production must set WECHAT_PUSH_TOKEN as in the WeChat console. */
export const DEV_PUSH_TOKEN = 'devPushToken2026';
/** Development-only key; production must set PHONE_ENCRYPTION_KEY. */
const DEV_PHONE_KEY = Buffer.alloc(32, 7).toString('base64');
const NODE_ENVS = ['development', 'test', 'production'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The server's configuration, read from the environment once at start: each setting names its
 * variable, default and bounds, and `Config` is derived from this schema.
 */
const ConfigSchema = Type.Object({
  // First: the defaults and requirements below depend on it.
  env: setting(literalUnion(NODE_ENVS), {
    env: 'NODE_ENV',
    default: 'development',
    description: 'production requires real secrets and WeChat credentials.',
    rule: 'must be development, test or production',
  }),
  host: setting(Type.String(), {
    env: 'HOST',
    defaultFrom: (read) => (read.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    description: 'The address the API listens on: every interface in production, loopback otherwise.',
  }),
  port: integer('PORT', 3000, 0, 65535, 'The port the API listens on.'),
  // An enum of strings rather than a union of literals: Config.logLevel stays `string`.
  logLevel: setting(Type.String({ enum: LOG_LEVELS }), {
    env: 'LOG_LEVEL',
    defaultFrom: (read) => (read.NODE_ENV === 'test' ? 'silent' : 'info'),
    description: 'The pino log level; silent in tests.',
    rule: `must be one of ${LOG_LEVELS.join(', ')}`,
  }),
  mongodbUri: url('MONGODB_URI', ['mongodb:', 'mongodb+srv:'], { description: 'The database (FerretDB or MongoDB).' }),
  redisUrl: url('REDIS_URL', ['redis:', 'rediss:'], { description: 'Redis for queues, rate limits and caches.' }),
  jwtSecret: setting(Type.String({ minLength: 32 }), {
    env: 'JWT_SECRET',
    default: DEV_JWT_SECRET,
    requiredInProduction: true,
    secret: true,
    description: 'Signs session tokens.',
    rule: 'must be at least 32 characters long',
  }),
  jwtTtlSeconds: integer(
    'JWT_TTL_SECONDS',
    7 * 24 * 3600,
    60,
    90 * 24 * 3600,
    'Lifetime of a signed-in session, in seconds.',
  ),
  adminPassword: setting(Type.Union([Type.String({ minLength: 8 }), Type.Null()]), {
    env: 'ADMIN_PASSWORD',
    default: null,
    requiredInProduction: true,
    secret: true,
    description: 'The admin account made sure of at start; none is made without it (allowed outside production).',
    rule: 'must be at least 8 characters long',
  }),
  dataDir: setting(
    Type.Transform(Type.String())
      .Decode((dir) => path.resolve(dir))
      .Encode((dir) => dir),
    {
      env: 'DATA_DIR',
      default: '.data',
      description: 'Where uploads are stored; resolved against the working directory at start.',
    },
  ),
  supervisorStatusFile: setting(Type.String(), {
    env: 'SUPERVISOR_STATUS_FILE',
    default: '',
    description: "Where `npm start`'s supervisor writes its children's restarts, reported on /readyz (empty: none).",
  }),
  wechat: Type.Object({
    apiBase: url('WECHAT_API_BASE', ['http:', 'https:'], {
      default: 'https://api.weixin.qq.com',
      description: "WeChat's API, or the fake WeChat server in tests.",
    }),
    appId: setting(Type.String(), {
      env: 'WECHAT_APPID',
      default: 'wx-demo-appid',
      requiredInProduction: true,
      description: "The mini-program's AppID.",
    }),
    appSecret: setting(Type.String(), {
      env: 'WECHAT_SECRET',
      default: 'demo-app-secret',
      requiredInProduction: true,
      secret: true,
      description: "The mini-program's AppSecret.",
    }),
    timeoutMs: integer('WECHAT_TIMEOUT_MS', 5000, 100, 60_000, 'Timeout of a call to WeChat.'),
    // WeChat's console accepts 3–32 letters and digits as the push Token.
    pushToken: setting(Type.String({ pattern: '^[A-Za-z0-9]{3,32}$' }), {
      env: 'WECHAT_PUSH_TOKEN',
      default: DEV_PUSH_TOKEN,
      requiredInProduction: true,
      secret: true,
      description: "The Token configured for WeChat's message push (消息推送), which carries image check results.",
      rule: 'must be 3–32 letters or digits',
    }),
    mediaCheckRetryAfterSeconds: integer(
      'MEDIA_CHECK_RETRY_AFTER_SECONDS',
      600,
      1,
      86400,
      'Ask again about an image whose check result has not been pushed after this long.',
    ),
    mediaCheckAttempts: integer(
      'MEDIA_CHECK_ATTEMPTS',
      3,
      1,
      20,
      'After this many unanswered asks an image goes to manual review.',
    ),
  }),
  phoneEncryptionKey: setting(Type.String(), {
    env: 'PHONE_ENCRYPTION_KEY',
    default: DEV_PHONE_KEY,
    requiredInProduction: true,
    secret: true,
    description: '32-byte key (base64) for phone numbers at rest.',
    rule: 'must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
    check: (key) => Buffer.from(key, 'base64').length === 32,
  }),
  rateLimits: Type.Object({
    submitPerHour: integer('RATE_LIMIT_SUBMIT_PER_HOUR', 20, 1, 100_000, 'Tickets one resident may submit per hour.'),
    loginPerMinute: integer('RATE_LIMIT_LOGIN_PER_MINUTE', 30, 1, 100_000, 'Sign-in attempts per IP per minute.'),
    globalPerMinute: integer(
      'RATE_LIMIT_GLOBAL_PER_MINUTE',
      600,
      1,
      1_000_000,
      'Requests per IP per minute across the API.',
    ),
  }),
  notifications: Type.Object({
    remindBeforeSeconds: integer(
      'DEADLINE_REMIND_BEFORE_SECONDS',
      2 * 3600,
      0,
      30 * 86400,
      "Remind the assignee this long before a ticket's deadline.",
    ),
    escalateAfterSeconds: integer(
      'DEADLINE_ESCALATE_AFTER_SECONDS',
      4 * 3600,
      0,
      30 * 86400,
      'Escalate to studio leads and admins this long after a missed deadline.',
    ),
    sweepIntervalSeconds: integer(
      'NOTIFY_SWEEP_INTERVAL_SECONDS',
      30,
      1,
      3600,
      'How often the sweeper re-queues what was recorded but not delivered.',
    ),
    requeueAfterSeconds: integer(
      'NOTIFY_REQUEUE_AFTER_SECONDS',
      60,
      1,
      86400,
      'A notice not delivered after this long is queued again by the sweeper.',
    ),
    sendAttempts: integer(
      'NOTIFY_SEND_ATTEMPTS',
      5,
      1,
      50,
      'WeChat send attempts before a notice is marked failed; retries back off exponentially.',
    ),
    backoffMs: integer('NOTIFY_BACKOFF_MS', 2000, 10, 600_000, 'Delay before the first retry; it doubles each time.'),
    longTermTemplates: setting(Type.Array(literalUnion(TEMPLATE_KEYS)), {
      env: 'WECHAT_LONG_TERM_TEMPLATES',
      // None by default: a long-term template needs WeChat's approval of a 政务民生 category; once the
      // account has it, members' notices are the ones to list (one consent, many sends).
      default: [],
      description: 'Template keys whose WeChat templates are long-term (长期性订阅消息), comma-separated.',
      rule: `must list template keys among ${TEMPLATE_KEYS.join(', ')}`,
    }),
    templateIds: keyed(TEMPLATE_KEYS, (key) =>
      setting(Type.String(), {
        env: `WECHAT_TEMPLATE_${key.toUpperCase()}`,
        default: `tmpl-${key}`,
        requiredInProduction: true,
        description: `WeChat subscribe-message template id for ${key}.`,
      }),
    ),
  }),
  corsOrigins: setting(Type.Array(Type.String()), {
    env: 'CORS_ORIGINS',
    default: [],
    description: 'Origins allowed to call the API from a browser (the H5 build and console), comma-separated.',
  }),
  publicBaseUrl: url('PUBLIC_BASE_URL', ['http:', 'https:'], {
    defaultFrom: (read) => `http://127.0.0.1:${String(read.PORT)}`,
    description: "The API's address as WeChat and browsers reach it (signed upload URLs, message push).",
  }),
  /** Studio codes, statistics, star ratings and 回头看 (see operations-config.ts). */
  operations: OperationsConfigSchema,
});

export type Config = StaticDecode<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** The configuration, or a ConfigError naming every missing or bad variable at once. */
export function loadConfig(env: Env = process.env): Config {
  const { settings, problems } = readSettings(ConfigSchema, env);
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

/** For process entry points: the configuration, or a message naming what is wrong and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
