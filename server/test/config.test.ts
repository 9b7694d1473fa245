import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/x', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('configuration', () => {
  it('reads a valid environment with development defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({ env: 'development', port: 3000, mongodbUri: valid.MONGODB_URI, redisUrl: valid.REDIS_URL });
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
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required[\s\S]*ADMIN_PASSWORD is required in production/);
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production' })).toThrow(/WECHAT_PUSH_TOKEN is required/);
    expect(() => loadConfig({ ...valid, WECHAT_PUSH_TOKEN: 'has spaces in it' })).toThrow(/WECHAT_PUSH_TOKEN must be 3–32 letters or digits/);
    expect(() =>
      loadConfig({ ...valid, NODE_ENV: 'production', JWT_SECRET: 'short', ADMIN_PASSWORD: 'long-enough-password', WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' }),
    ).toThrow(/JWT_SECRET must be at least 32 characters/);
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
