import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, DEV_PUSH_TOKEN, loadConfig } from '../src/config';

const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/x', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('configuration', () => {
  it('reads a valid environment with development defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      mongodbUri: valid.MONGODB_URI,
      redisUrl: valid.REDIS_URL,
    });
  });

  it('names every missing or malformed variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('MONGODB_URI is required but not set');
    expect(message).toContain('PORT must be an integer between 0 and 65535 (got "abc")');
    expect(message).toContain('REDIS_URL must use redis: or rediss:');
  });

  it('demands real secrets in production', () => {
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET is required[\s\S]*ADMIN_PASSWORD is required in production/,
    );
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production' })).toThrow(/WECHAT_PUSH_TOKEN is required/);
    expect(() => loadConfig({ ...valid, WECHAT_PUSH_TOKEN: 'has spaces in it' })).toThrow(
      /WECHAT_PUSH_TOKEN must be 3–32 letters or digits/,
    );
    expect(() =>
      loadConfig({
        ...valid,
        NODE_ENV: 'production',
        JWT_SECRET: 'short',
        ADMIN_PASSWORD: 'long-enough-password',
        WECHAT_APPID: 'wx1',
        WECHAT_SECRET: 's',
      }),
    ).toThrow(/JWT_SECRET must be at least 32 characters/);
  });

  it('derives defaults from NODE_ENV and PORT, reads lists and resolves the data directory', () => {
    const cors = ' https://a.example, ,https://b.example';
    const config = loadConfig({ ...valid, NODE_ENV: 'test', PORT: '8080', CORS_ORIGINS: cors, DATA_DIR: 'data' });
    expect(config).toMatchObject({ host: '127.0.0.1', logLevel: 'silent', publicBaseUrl: 'http://127.0.0.1:8080' });
    expect(config.adminPassword).toBeNull();
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(loadConfig({ ...valid, NODE_ENV: 'development' }).logLevel).toBe('info');
  });

  it('names each kind of bad variable without printing a secret or a password in a URL', () => {
    const message = problemsOf({
      ...valid,
      NODE_ENV: 'staging',
      LOG_LEVEL: 'loud',
      JWT_TTL_SECONDS: '4.5',
      WECHAT_TIMEOUT_MS: '99',
      ADMIN_PASSWORD: 'hunter2',
      PHONE_ENCRYPTION_KEY: 'not-a-key',
      REDIS_URL: 'http://user:swordfish@127.0.0.1:6379',
    });
    expect(message).toContain('NODE_ENV must be development, test or production (got "staging")');
    expect(message).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(message).toContain('JWT_TTL_SECONDS must be an integer between 60 and 7776000 (got "4.5")');
    expect(message).toContain('WECHAT_TIMEOUT_MS must be an integer between 100 and 60000 (got "99")');
    expect(message).toContain('ADMIN_PASSWORD must be at least 8 characters long');
    expect(message).toContain('PHONE_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
    expect(message).toContain('REDIS_URL must use redis: or rediss: (got "http:")');
    for (const secret of ['hunter2', 'not-a-key', 'swordfish']) expect(message).not.toContain(secret);
  });

  it('refuses development defaults in production', () => {
    const message = problemsOf({ ...valid, NODE_ENV: 'production', WECHAT_PUSH_TOKEN: DEV_PUSH_TOKEN });
    expect(message).toContain('WECHAT_PUSH_TOKEN must not be the development default in production');
    expect(message).toContain('PHONE_ENCRYPTION_KEY is required in production');
    expect(message).toContain('WECHAT_TEMPLATE_TICKET_ASSIGNED is required in production');
  });

  it('makes the API process exit with a message naming the bad variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../src/main.ts')], {
      env: { PATH: process.env.PATH, PORT: 'not-a-port', REDIS_URL: valid.REDIS_URL },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('PORT must be an integer');
    expect(result.stderr).toContain('MONGODB_URI is required');
  });
});

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
