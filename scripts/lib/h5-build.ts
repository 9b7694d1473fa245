/**
 * The H5 build of the mini-program (the residents' pages and the admins' console, served under
 * /app/): whether it is there and newer than its sources, and building it. setup builds it, `npm
 * start` rebuilds it when it is missing or stale, and the browser suites make sure of it before
 * they open a page; all three hold the same lock, so nobody serves dist/h5 while it is rebuilt.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { newestMtime } from './files';
import { withBuildLock, withBuildLockAsync } from './build-lock';
import { repoRoot } from '../services/common';

const MINIPROGRAM_DIR = path.join(repoRoot, 'miniprogram');
export const H5_DIR = path.join(MINIPROGRAM_DIR, 'dist', 'h5');
const LOCK = 'h5-build';

/** What the build is made from: the mini-program's sources and config, and the shared code. */
const H5_SOURCES = [
  path.join(MINIPROGRAM_DIR, 'src'),
  path.join(MINIPROGRAM_DIR, 'config'),
  path.join(repoRoot, 'shared', 'src'),
];

export type H5BuildState = 'fresh' | 'missing' | 'stale';

/** `missing` without an index.html, `stale` when a source file is newer than it. */
export function h5BuildState(outDir = H5_DIR, sources = H5_SOURCES): H5BuildState {
  const index = path.join(outDir, 'index.html');
  if (!fs.existsSync(index)) return 'missing';
  const newestSource = Math.max(...sources.filter((dir) => fs.existsSync(dir)).map((dir) => newestMtime(dir)));
  return fs.statSync(index).mtimeMs > newestSource ? 'fresh' : 'stale';
}

const buildEnv = () => ({ ...process.env, NODE_ENV: 'production' });

/** Builds unless fresh (checked again under the lock); the milliseconds it took, 0 when reused. Blocks. */
export function ensureH5BuildSync(): number {
  return withBuildLock(LOCK, () => {
    if (h5BuildState() === 'fresh') return 0;
    const started = Date.now();
    execFileSync('npm', ['run', 'build:h5'], { cwd: MINIPROGRAM_DIR, stdio: 'pipe', env: buildEnv() });
    return Date.now() - started;
  });
}

/**
 * Builds unless fresh, saying what it does: why it builds, its progress every `everyMs` (webpack's
 * percentage) and how it ended. The build's output goes to `logFile`. Resolves to the outcome.
 */
export async function ensureH5Build(options: {
  say: (line: string) => void;
  logFile: string;
  everyMs?: number;
}): Promise<{ state: H5BuildState; built: boolean; ms: number; error?: string }> {
  const { say, logFile } = options;
  return withBuildLockAsync(LOCK, async () => {
    const state = h5BuildState();
    if (state === 'fresh') return { state, built: false, ms: 0 };
    say(
      `H5 app (residents' pages and the admin console) ${state === 'missing' ? 'not built yet' : 'older than its sources'}: building it (about a minute; log: ${logFile})`,
    );
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const log = fs.createWriteStream(logFile);
    const started = Date.now();
    let percent = 0;
    const child = spawn('npm', ['run', 'build:h5'], {
      cwd: MINIPROGRAM_DIR,
      env: buildEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onOutput = (chunk: Buffer) => {
      log.write(chunk);
      // webpack's progress bar: "… building (42%) …"
      for (const match of chunk.toString().matchAll(/\((\d{1,3})%\)/g)) percent = Math.max(percent, Number(match[1]));
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const ticker = setInterval(
      () => say(`  building the H5 app: ${percent}% after ${Math.round((Date.now() - started) / 1000)} s`),
      options.everyMs ?? 10_000,
    );
    const code = await new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(-1));
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    clearInterval(ticker);
    await new Promise((resolve) => log.end(resolve));
    const ms = Date.now() - started;
    if (code !== 0)
      return {
        state,
        built: false,
        ms,
        error: `the H5 build failed (exit ${String(code)}); its output is in ${logFile}`,
      };
    say(`  H5 app built in ${(ms / 1000).toFixed(0)} s`);
    return { state, built: true, ms };
  });
}
