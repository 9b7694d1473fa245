import path from 'node:path';
import { TEMPLATE_KEYS, type TemplateKey } from '@mashangshang/shared';
import { integerReader, loadOperationsConfig, type OperationsConfig } from './operations-config';

/**
 * The server's configuration, read from the environment once and validated.
 * A bad or missing variable fails fast with a message that names it.
 */
export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  mongodbUri: string;
  redisUrl: string;
  jwtSecret: string;
  /** Lifetime of a signed-in session, in seconds. */
  jwtTtlSeconds: number;
  adminPassword: string | null;
  dataDir: string;
  wechat: {
    apiBase: string;
    appId: string;
    appSecret: string;
    timeoutMs: number;
    /** The Token configured for WeChat's message push (消息推送), which carries image check results. */
    pushToken: string;
    /** Ask again about an image whose check result has not been pushed after this long. */
    mediaCheckRetryAfterSeconds: number;
    /** After this many unanswered asks an image goes to manual review. */
    mediaCheckAttempts: number;
  };
  /** 32-byte key (base64) for phone numbers at rest. */
  phoneEncryptionKey: string;
  rateLimits: {
    /** Tickets one resident may submit per hour. */
    submitPerHour: number;
    /** Sign-in attempts per IP per minute. */
    loginPerMinute: number;
    /** Requests per IP per minute across the API. */
    globalPerMinute: number;
  };
  notifications: {
    /** Remind the assignee this long before a ticket's deadline. */
    remindBeforeSeconds: number;
    /** Escalate to studio leads and admins this long after a missed deadline. */
    escalateAfterSeconds: number;
    /** How often the sweeper re-queues what was recorded but not delivered. */
    sweepIntervalSeconds: number;
    /** A notice not delivered after this long is queued again by the sweeper. */
    requeueAfterSeconds: number;
    /** WeChat send attempts before a notice is marked failed; retries back off exponentially. */
    sendAttempts: number;
    backoffMs: number;
    /** WeChat subscribe-message template ids, per template key. */
    templateIds: Record<TemplateKey, string>;
  };
  /** Origins allowed to call the API from a browser (the H5 build and console). */
  corsOrigins: string[];
  publicBaseUrl: string;
  /** Studio codes, statistics, star ratings and 回头看 (see operations-config.ts). */
  operations: OperationsConfig;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-in-production-0123456789';
/** Development-only message push token; production must set WECHAT_PUSH_TOKEN as in the WeChat console. */
export const DEV_PUSH_TOKEN = 'devPushToken2026';
/** Development-only key; production must set PHONE_ENCRYPTION_KEY. */
const DEV_PHONE_KEY = Buffer.alloc(32, 7).toString('base64');

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const text = (name: string, fallback?: string): string => {
    const value = env[name]?.trim();
    if (value) return value;
    if (fallback !== undefined) return fallback;
    problems.push(`${name} is required but not set`);
    return '';
  };

  const integer = integerReader(env, problems);

  const url = (name: string, protocols: string[], fallback?: string): string => {
    const value = text(name, fallback);
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      problems.push(`${name} must be a URL (got "${value}")`);
    }
    return value;
  };

  const rawEnv = env.NODE_ENV?.trim() || 'development';
  let nodeEnv: Config['env'] = 'development';
  if (rawEnv === 'development' || rawEnv === 'test' || rawEnv === 'production') nodeEnv = rawEnv;
  else problems.push(`NODE_ENV must be development, test or production (got "${rawEnv}")`);
  const production = nodeEnv === 'production';

  const jwtSecret = text('JWT_SECRET', production ? undefined : DEV_JWT_SECRET);
  if (jwtSecret && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters long');
  if (production && jwtSecret === DEV_JWT_SECRET) problems.push('JWT_SECRET must not be the development default in production');

  const adminPassword = env.ADMIN_PASSWORD?.trim() || null;
  if (production && !adminPassword) problems.push('ADMIN_PASSWORD is required in production');
  if (adminPassword && adminPassword.length < 8) problems.push('ADMIN_PASSWORD must be at least 8 characters long');

  const port = integer('PORT', 3000, 0, 65535);
  const publicBaseUrl = url('PUBLIC_BASE_URL', ['http:', 'https:'], `http://127.0.0.1:${port}`);

  const config: Config = {
    env: nodeEnv,
    host: text('HOST', production ? '0.0.0.0' : '127.0.0.1'),
    port,
    logLevel: text('LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info'),
    mongodbUri: url('MONGODB_URI', ['mongodb:', 'mongodb+srv:']),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    jwtSecret,
    jwtTtlSeconds: integer('JWT_TTL_SECONDS', 7 * 24 * 3600, 60, 90 * 24 * 3600),
    adminPassword,
    dataDir: path.resolve(text('DATA_DIR', '.data')),
    wechat: {
      apiBase: url('WECHAT_API_BASE', ['http:', 'https:'], 'https://api.weixin.qq.com'),
      appId: text('WECHAT_APPID', production ? undefined : 'wx-demo-appid'),
      appSecret: text('WECHAT_SECRET', production ? undefined : 'demo-app-secret'),
      timeoutMs: integer('WECHAT_TIMEOUT_MS', 5000, 100, 60_000),
      pushToken: text('WECHAT_PUSH_TOKEN', production ? undefined : DEV_PUSH_TOKEN),
      mediaCheckRetryAfterSeconds: integer('MEDIA_CHECK_RETRY_AFTER_SECONDS', 600, 1, 86400),
      mediaCheckAttempts: integer('MEDIA_CHECK_ATTEMPTS', 3, 1, 20),
    },
    phoneEncryptionKey: text('PHONE_ENCRYPTION_KEY', production ? undefined : DEV_PHONE_KEY),
    rateLimits: {
      submitPerHour: integer('RATE_LIMIT_SUBMIT_PER_HOUR', 20, 1, 100_000),
      loginPerMinute: integer('RATE_LIMIT_LOGIN_PER_MINUTE', 30, 1, 100_000),
      globalPerMinute: integer('RATE_LIMIT_GLOBAL_PER_MINUTE', 600, 1, 1_000_000),
    },
    notifications: {
      remindBeforeSeconds: integer('DEADLINE_REMIND_BEFORE_SECONDS', 2 * 3600, 0, 30 * 86400),
      escalateAfterSeconds: integer('DEADLINE_ESCALATE_AFTER_SECONDS', 4 * 3600, 0, 30 * 86400),
      sweepIntervalSeconds: integer('NOTIFY_SWEEP_INTERVAL_SECONDS', 30, 1, 3600),
      requeueAfterSeconds: integer('NOTIFY_REQUEUE_AFTER_SECONDS', 60, 1, 86400),
      sendAttempts: integer('NOTIFY_SEND_ATTEMPTS', 5, 1, 50),
      backoffMs: integer('NOTIFY_BACKOFF_MS', 2000, 10, 600_000),
      templateIds: Object.fromEntries(
        TEMPLATE_KEYS.map((key) => [key, text(`WECHAT_TEMPLATE_${key.toUpperCase()}`, production ? undefined : `tmpl-${key}`)]),
      ) as Record<TemplateKey, string>,
    },
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    publicBaseUrl,
    operations: loadOperationsConfig(env, problems),
  };

  if (config.phoneEncryptionKey && Buffer.from(config.phoneEncryptionKey, 'base64').length !== 32) {
    problems.push('PHONE_ENCRYPTION_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
  }
  // WeChat's console accepts 3–32 letters and digits as the push Token.
  if (config.wechat.pushToken && !/^[A-Za-z0-9]{3,32}$/.test(config.wechat.pushToken)) problems.push('WECHAT_PUSH_TOKEN must be 3–32 letters or digits');
  if (production && config.wechat.pushToken === DEV_PUSH_TOKEN) problems.push('WECHAT_PUSH_TOKEN must not be the development default in production');
  if (production && config.phoneEncryptionKey === DEV_PHONE_KEY) problems.push('PHONE_ENCRYPTION_KEY must not be the development default in production');

  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(config.logLevel)) problems.push(`LOG_LEVEL must be one of ${levels.join(', ')} (got "${config.logLevel}")`);

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
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
