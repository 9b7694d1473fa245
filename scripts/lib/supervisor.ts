import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Keeps the children of `npm start` running: one that exits unexpectedly (a crash, the OOM killer, a
 * kill by hand) is started again after a backoff that grows with repeated crashes, while the others
 * keep serving. What happened is logged and written to a status file, which the API reports on
 * /readyz, so repeated crashes are seen.
 */

/** One running instance of a child: its process id and when it exits. */
export interface Running {
  pid: number | undefined;
  exited: Promise<unknown>;
}

export interface Supervised {
  name: string;
  /** Starts the child; resolves once it serves. Throws when it cannot start. */
  start(): Promise<Running>;
}

interface ChildStatus {
  state: 'running' | 'restarting' | 'stopped';
  pid: number | null;
  /** Restarts since `npm start` began. */
  restarts: number;
  /** Unexpected exits within the last CRASH_WINDOW_MS. */
  recentCrashes: number;
  /** It keeps crashing: CRASH_LOOP_AFTER exits within the window. */
  crashLoop: boolean;
  lastExitAt: string | null;
}

export interface SupervisorStatus {
  updatedAt: string;
  children: Record<string, ChildStatus>;
}

const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
const CRASH_WINDOW_MS = 10 * 60_000;
const CRASH_LOOP_AFTER = 5;

interface Entry {
  child: Supervised;
  running: Running | null;
  status: ChildStatus;
  crashes: number[];
}

export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;

  constructor(private readonly options: { statusFile: string; say: (line: string) => void; backoffMs?: number }) {}

  /** Starts a child and watches it from then on. The first start's failure is the caller's to handle. */
  async add(child: Supervised): Promise<Running> {
    const entry: Entry = {
      child,
      running: null,
      crashes: [],
      status: { state: 'running', pid: null, restarts: 0, recentCrashes: 0, crashLoop: false, lastExitAt: null },
    };
    this.entries.set(child.name, entry);
    entry.running = await child.start();
    entry.status.pid = entry.running.pid ?? null;
    this.write();
    void this.watch(entry);
    return entry.running;
  }

  /** The child's current process id (it changes with each restart). */
  pid(name: string): number | undefined {
    return this.entries.get(name)?.running?.pid;
  }

  status(): SupervisorStatus {
    const children = Object.fromEntries([...this.entries].map(([name, entry]) => [name, { ...entry.status }]));
    return { updatedAt: new Date().toISOString(), children };
  }

  /** No more restarts: `npm start` is stopping. */
  stop(): void {
    this.stopping = true;
    for (const entry of this.entries.values()) entry.status.state = 'stopped';
    this.write();
  }

  private async watch(entry: Entry): Promise<void> {
    for (;;) {
      await entry.running?.exited;
      if (this.stopping) return;
      const now = Date.now();
      entry.crashes = [...entry.crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
      Object.assign(entry.status, {
        state: 'restarting',
        pid: null,
        recentCrashes: entry.crashes.length,
        crashLoop: entry.crashes.length >= CRASH_LOOP_AFTER,
        lastExitAt: new Date(now).toISOString(),
      });
      this.write();
      // Each start is retried until it works, waiting longer after each crash or failed start.
      for (let attempt = 0; ; attempt += 1) {
        const base = this.options.backoffMs ?? INITIAL_BACKOFF_MS;
        const delay = Math.min(MAX_BACKOFF_MS, base * 2 ** (entry.crashes.length - 1 + attempt));
        const name = entry.child.name;
        this.options.say(
          `${name} exited unexpectedly${entry.status.crashLoop ? ` (${entry.crashes.length} times in 10 minutes)` : ''}; restarting in ${(delay / 1000).toFixed(1)} s`,
        );
        await sleep(delay);
        if (this.stopping) return;
        try {
          entry.running = await entry.child.start();
          break;
        } catch (error) {
          this.options.say(`${name} could not start again: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      entry.status.restarts += 1;
      Object.assign(entry.status, { state: 'running', pid: entry.running?.pid ?? null });
      this.options.say(`${entry.child.name} is running again (restart ${entry.status.restarts})`);
      this.write();
    }
  }

  private write(): void {
    const file = this.options.statusFile;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Written whole then renamed: a reader never sees half a file.
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(this.status(), null, 2));
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // The status file is a report; the supervision goes on without it.
    }
  }
}
