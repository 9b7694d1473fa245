import fs from 'node:fs';
import path from 'node:path';
import { pidAlive } from '../services/lock';

const lockRoot = path.resolve(__dirname, '..', '..', '.tmp');

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One attempt at the lock folder: taken, or still held (a lock whose holder died is taken over). */
function tryTake(name: string, deadline: number, timeoutMs: number): boolean {
  const dir = path.join(lockRoot, `${name}.lock`);
  const pidFile = path.join(dir, 'pid');
  fs.mkdirSync(lockRoot, { recursive: true });
  try {
    fs.mkdirSync(dir);
    fs.writeFileSync(pidFile, String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : 0);
  if (holder > 0 && !pidAlive(holder)) {
    fs.rmSync(dir, { recursive: true, force: true });
    return tryTake(name, deadline, timeoutMs);
  }
  if (Date.now() > deadline)
    throw new Error(`${name}: lock ${dir} still held by pid ${holder || '?'} after ${timeoutMs / 1000} s`);
  return false;
}

const release = (name: string) => fs.rmSync(path.join(lockRoot, `${name}.lock`), { recursive: true, force: true });

/**
 * Runs `work` while holding a lock named `name` shared by every process of this checkout (a folder
 * under .tmp/, created atomically), so test suites running side by side never build into the same
 * output at once: one serves files while another rebuilds them away. A lock whose holder died is
 * taken over. Synchronous, as the builds it guards are.
 */
export function withBuildLock<T>(name: string, work: () => T, timeoutMs = 15 * 60_000): T {
  const deadline = Date.now() + timeoutMs;
  while (!tryTake(name, deadline, timeoutMs)) pause(250);
  try {
    return work();
  } finally {
    release(name);
  }
}

/** withBuildLock for asynchronous work (a build that reports its progress while it runs). */
export async function withBuildLockAsync<T>(name: string, work: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!tryTake(name, deadline, timeoutMs)) await new Promise((resolve) => setTimeout(resolve, 250));
  try {
    return await work();
  } finally {
    release(name);
  }
}
