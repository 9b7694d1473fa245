import fs from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  /** Path of the lock file (<dataDir>/.lock). */
  file: string;
  /** Remove the lock if it is still ours. Idempotent. */
  release(): Promise<void>;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Guard against PID reuse: on Linux, a live pid only counts as the lock holder
 * when it is a Node process (our `npm start`). Elsewhere, any live pid counts.
 */
function looksLikeHolder(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  if (pid === process.pid) return true;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|tsx/i.test(cmdline);
  } catch {
    return true;
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim().split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Take the lock `<dataDir>/.lock` (it contains our pid) so two `npm start` never run
 * on the same DATA_DIR. A lock left by a dead process is taken over.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const dir = path.resolve(dataDir);
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, '.lock');
  const content = `${process.pid}\n`;

  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      // 'wx' fails if the file exists: creation is atomic.
      await fs.promises.writeFile(file, content, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPid(file);
      if (holder !== null && looksLikeHolder(holder)) {
        throw new Error(
          `another \`npm start\` is already running on this DATA_DIR (${dir}, pid ${holder}); ` +
            `stop it first, or use another DATA_DIR. Lock file: ${file}`,
        );
      }
      if (holder === null) {
        // Possibly being written right now by another starter: give it a moment.
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (readPid(file) !== null) continue;
      }
      // Stale lock (dead pid or garbage): remove it and try again.
      await fs.promises.rm(file, { force: true });
      continue;
    }
    // Two starters taking over the same stale lock could race; make sure it is ours.
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (readPid(file) !== process.pid) continue;

    let released = false;
    const releaseSync = (): void => {
      if (released) return;
      released = true;
      if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
    };
    process.once('exit', releaseSync);
    return {
      file,
      release: async () => {
        process.removeListener('exit', releaseSync);
        releaseSync();
      },
    };
  }
  throw new Error(
    `could not acquire the DATA_DIR lock ${file} (it keeps changing); is another \`npm start\` starting?`,
  );
}
