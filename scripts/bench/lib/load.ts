import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Summary } from './stats';

/** What the load process is asked to do; see load-child.ts. */
export type LoadSpec =
  | {
      mode: 'submit';
      /** http://127.0.0.1:port */
      url: string;
      connections: number;
      seconds: number;
      /** Requests per second over all connections (autocannon overallRate); absent → as fast as possible. */
      overallRate?: number;
      /** Bearer tokens of distinct residents, used round robin. */
      tokens: string[];
      studioId: string;
      /** Idempotency keys are `${keyPrefix}-${n}`, distinct for every request. */
      keyPrefix: string;
    }
  | {
      mode: 'insert';
      /** The same database the API writes to. */
      mongoUri: string;
      collection: string;
      connections: number;
      seconds: number;
      overallRate?: number;
      studioId: string;
      keyPrefix: string;
    };

export interface LoadResult {
  mode: LoadSpec['mode'];
  connections: number;
  seconds: number;
  overallRate: number | null;
  /** Requests that completed (any status). */
  completed: number;
  /** 2xx answers (HTTP) or acknowledged inserts. */
  succeeded: number;
  /** Everything else, by status code or error name. */
  failures: Record<string, number>;
  /** The first failed answer (status and start of the body), to tell what went wrong. */
  firstFailure?: string;
  /** Successful requests per second over the run. */
  throughputPerSecond: number;
  latencyMs: Pick<Summary, 'p50' | 'p99' | 'max' | 'mean'> & { p90: number; p97_5: number };
}

/**
 * Runs the load in a separate Node process, so the load generator never shares an event loop (or a
 * core's time slice accounting) with the API under test.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mss-load-'));
  const specFile = path.join(dir, 'spec.json');
  const resultFile = path.join(dir, 'result.json');
  await fs.promises.writeFile(specFile, JSON.stringify(spec));
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'load-child.ts'), specFile, resultFile],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`load process (${spec.mode}) exited with ${code}`);
    return JSON.parse(await fs.promises.readFile(resultFile, 'utf8')) as LoadResult;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

export function formatLoad(label: string, r: LoadResult): string {
  const failures = Object.keys(r.failures).length
    ? ` failures ${JSON.stringify(r.failures)}${r.firstFailure ? ` first: ${r.firstFailure}` : ''}`
    : '';
  return `  ${label.padEnd(40)} ${String(r.throughputPerSecond).padStart(8)} req/s  p50 ${String(r.latencyMs.p50).padStart(6)}  p99 ${String(r.latencyMs.p99).padStart(6)}  max ${String(r.latencyMs.max).padStart(7)} ms  (${r.succeeded} ok, ${r.connections} conn, ${r.seconds} s${r.overallRate ? `, rate ${r.overallRate}/s` : ''})${failures}`;
}
