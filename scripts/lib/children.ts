import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A Node (TypeScript via tsx) child process whose output goes to a log file. */
export interface NodeChild {
  name: string;
  process: ChildProcess;
  logFile: string;
  /** Resolves when the process exits, however it ends. */
  exited: Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
}

export function spawnTsNode(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string): NodeChild {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.openSync(logFile, 'a');
  // The IPC channel lets a child without an HTTP port (the worker) say it is ready.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', log, log, 'ipc'] });
  fs.closeSync(log);
  let exited = child.exitCode !== null;
  const whenExited = new Promise<void>((resolve) => {
    if (exited) resolve();
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  return {
    name,
    process: child,
    logFile,
    exited: whenExited,
    async stop(timeoutMs = 12_000) {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Polls a URL until it answers 200, or the child dies, or time runs out. */
export async function waitForHttpOk(url: string, child: NodeChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`${child.name} exited with code ${child.process.exitCode}; see ${child.logFile}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${child.name} did not answer 200 on ${url} within ${timeoutMs / 1000} s; see ${child.logFile}`);
}

/** Waits for the child's `{ ready: true }` IPC message (sent by processes without an HTTP port, like the worker). */
export async function waitForReadyMessage(child: NodeChild, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`${child.name} did not report ready within ${timeoutMs / 1000} s; see ${child.logFile}`)),
      timeoutMs,
    );
    const onMessage = (message: unknown) => {
      if ((message as { ready?: boolean } | null)?.ready === true) finish();
    };
    const onExit = (code: number | null) =>
      finish(new Error(`${child.name} exited with code ${code}; see ${child.logFile}`));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.process.off('message', onMessage);
      child.process.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.process.on('message', onMessage);
    child.process.once('exit', onExit);
  });
}
