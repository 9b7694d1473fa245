import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { newestMtime } from '../../../scripts/lib/files';

const miniprogramDir = path.resolve(__dirname, '../..');
export const WEAPP_DIR = path.join(miniprogramDir, 'dist/weapp');

/** The appid the build should carry: TARO_APP_ID, else WECHAT_APPID (see config/index.ts), else project.config.json's. */
export function configuredAppid(): string {
  const fromFile = (
    JSON.parse(fs.readFileSync(path.join(miniprogramDir, 'project.config.json'), 'utf8')) as { appid: string }
  ).appid;
  return process.env.TARO_APP_ID || process.env.WECHAT_APPID || fromFile;
}

function builtAppid(): string | null {
  try {
    return (
      (JSON.parse(fs.readFileSync(path.join(WEAPP_DIR, 'project.config.json'), 'utf8')) as { appid?: string }).appid ??
      null
    );
  } catch {
    return null;
  }
}

/**
 * Builds the weapp for production (`npm run build:weapp`, which also enforces the main-package
 * budget) unless a build newer than every source file (the mini-program's, its configuration and
 * shared's) and carrying the configured appid is already there. Returns how long the build took,
 * 0 when it was reused.
 */
export function ensureWeappBuild(): number {
  const appJson = path.join(WEAPP_DIR, 'app.json');
  const sources = Math.max(
    newestMtime(path.join(miniprogramDir, 'src')),
    newestMtime(path.join(miniprogramDir, 'config')),
    fs.statSync(path.join(miniprogramDir, 'project.config.json')).mtimeMs,
    newestMtime(path.resolve(miniprogramDir, '../shared/src')),
  );
  if (fs.existsSync(appJson) && fs.statSync(appJson).mtimeMs > sources && builtAppid() === configuredAppid()) return 0;
  const started = Date.now();
  // Files of pages that no longer exist would otherwise stay behind as unused files.
  fs.rmSync(WEAPP_DIR, { recursive: true, force: true });
  execFileSync('npm', ['run', 'build:weapp'], {
    cwd: miniprogramDir,
    stdio: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return Date.now() - started;
}
