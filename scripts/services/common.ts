import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isPortFree } from './ports';

export type ServiceKind = 'mongod' | 'ferretdb' | 'redis';

export interface ManagedService {
  kind: ServiceKind;
  /** mongodb://127.0.0.1:P/<dbName> or redis://127.0.0.1:P */
  uri: string;
  port: number;
  dataDir: string;
  /** SIGTERM, wait for exit (SIGKILL after a few seconds). Idempotent. */
  stop(): Promise<void>;
  /** Stop, then start again on the SAME port and data; resolves when it answers again. */
  restart(): Promise<void>;
  /** SIGKILL (for fault tests), waits for exit. */
  kill(): Promise<void>;
  /** Resolves when the current process exits (at once when none runs): what a supervisor waits on. */
  whenExited(): Promise<void>;
  /** The current process's id, while one runs. */
  pid(): number | undefined;
}

export type ServiceStartReason = 'binary_missing' | 'port_taken' | 'data_dir' | 'exited' | 'timeout';

export class ServiceStartError extends Error {
  readonly service: string;
  readonly reason: ServiceStartReason;
  readonly hint?: string;

  constructor(service: string, reason: ServiceStartReason, message: string, hint?: string) {
    super(`${service} could not start (${reason}): ${message}${hint ? `\n  hint: ${hint}` : ''}`);
    this.name = 'ServiceStartError';
    this.service = service;
    this.reason = reason;
    if (hint !== undefined) this.hint = hint;
  }
}

/** Absolute path of the repository root (this file lives in <repo>/scripts/services). */
export const repoRoot: string = path.resolve(__dirname, '..', '..');

/** Directory where `npm run setup` puts locally built tools (git-ignored). */
export const toolsBinDir: string = path.join(repoRoot, '.tools', 'bin');

/** Find an executable on PATH, like `command -v`. */
export function which(command: string): string | null {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

export function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Create `dir` (recursively) and prove it is writable with a probe file.
 * Throws ServiceStartError('data_dir') with the underlying cause otherwise.
 */
export async function ensureWritableDir(service: string, dir: string): Promise<void> {
  try {
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.access(dir, fs.constants.W_OK);
    const probe = path.join(dir, `.write-probe-${process.pid}-${Date.now()}`);
    await fs.promises.writeFile(probe, 'ok');
    await fs.promises.unlink(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ServiceStartError(
      service,
      'data_dir',
      `data folder ${dir} is not writable (${code}: ${(err as Error).message})`,
      'set DATA_DIR to a folder you can write to, or fix its permissions',
    );
  }
}

// ---------------------------------------------------------------------------
// Child tracking: children must never outlive this Node process.

const liveChildren = new Set<ChildProcess>();
let hooksInstalled = false;

function killAllChildren(signal: NodeJS.Signals): void {
  for (const child of liveChildren) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => killAllChildren('SIGTERM'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // If the host application has its own handler (graceful shutdown), let it
      // stop the services in order; the 'exit' hook is the safety net.
      if (process.listenerCount(signal) > 1) return;
      killAllChildren('SIGTERM');
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

let pdeathsigWrapper: string | null | undefined;

/**
 * On Linux, `setpriv --pdeathsig TERM` makes the kernel send SIGTERM to the child
 * when this process dies, even on SIGKILL (where no 'exit' hook can run).
 * setpriv execs the target, so the pid stays the same.
 */
function pdeathsigWrapperPath(): string | null {
  if (pdeathsigWrapper !== undefined) return pdeathsigWrapper;
  pdeathsigWrapper = null;
  if (process.platform === 'linux') {
    const setpriv = which('setpriv');
    if (setpriv) {
      const help = spawnSync(setpriv, ['--help'], { encoding: 'utf8' });
      if (`${help.stdout}${help.stderr}`.includes('--pdeathsig')) pdeathsigWrapper = setpriv;
    }
  }
  return pdeathsigWrapper;
}

// ---------------------------------------------------------------------------
// Generic managed process.

/** 'ready': our child answers; 'foreign': something else answers on our port. */
export type ProbeResult = 'ready' | 'not_ready' | 'foreign';

export interface LaunchSpec {
  kind: ServiceKind;
  /** Human-readable name used in messages, e.g. "FerretDB". */
  displayName: string;
  command: string;
  args: string[];
  host: string;
  port: number;
  dataDir: string;
  uri: string;
  logFile: string;
  onLog?: (line: string) => void;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  missingBinaryHint: string;
  /** Folders that must exist and be writable before each start. */
  writableDirs: string[];
  /** One readiness attempt against the child with the given pid. */
  probe(pid: number): Promise<ProbeResult>;
}

const TAIL_LINES = 40;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class ManagedProcess implements ManagedService {
  readonly kind: ServiceKind;
  readonly uri: string;
  readonly port: number;
  readonly dataDir: string;

  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private tail: string[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly spec: LaunchSpec) {
    this.kind = spec.kind;
    this.uri = spec.uri;
    this.port = spec.port;
    this.dataDir = spec.dataDir;
  }

  private get alive(): boolean {
    const c = this.child;
    // pid is undefined when the spawn itself failed (e.g. ENOENT).
    return c !== null && c.pid !== undefined && c.exitCode === null && c.signalCode === null;
  }

  private record(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    if (this.spec.onLog) {
      try {
        this.spec.onLog(line);
      } catch {
        // a faulty log callback must not break the service
      }
    }
  }

  private tailText(): string {
    return this.tail.length ? this.tail.join('\n') : '(no output)';
  }

  async start(): Promise<void> {
    const { spec } = this;
    for (const dir of spec.writableDirs) await ensureWritableDir(spec.displayName, dir);

    if (!(await isPortFree(spec.port, spec.host))) {
      throw new ServiceStartError(
        spec.displayName,
        'port_taken',
        `port ${spec.host}:${spec.port} is already in use by another process`,
        'choose another port or stop the program using it',
      );
    }

    await fs.promises.mkdir(path.dirname(spec.logFile), { recursive: true });
    const log = fs.createWriteStream(spec.logFile, { flags: 'a' });
    log.on('error', () => undefined);
    log.write(`\n=== ${new Date().toISOString()} starting ${spec.command} ${spec.args.join(' ')}\n`);

    this.tail = [];
    const wrapper = pdeathsigWrapperPath();
    const [command, args] = wrapper
      ? [wrapper, ['--pdeathsig', 'TERM', '--', spec.command, ...spec.args]]
      : [spec.command, spec.args];
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: spec.dataDir,
    });
    this.child = child;
    installExitHooks();
    liveChildren.add(child);

    let spawnError: NodeJS.ErrnoException | null = null;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        liveChildren.delete(child);
        log.end(`=== exited code=${String(code)} signal=${String(signal)}\n`);
        resolve();
      });
      child.once('error', (err: NodeJS.ErrnoException) => {
        spawnError = err;
        if (child.pid === undefined) {
          liveChildren.delete(child);
          log.end(`=== spawn failed: ${err.message}\n`);
          resolve();
        }
      });
    });

    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        log.write(chunk);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) this.record(line.trimEnd());
      });
      stream.on('end', () => {
        if (partial.trim()) this.record(partial.trimEnd());
        partial = '';
      });
    }

    const deadline = Date.now() + spec.readyTimeoutMs;
    await sleep(50);
    for (;;) {
      if (!this.alive) {
        await this.exited;
        // Let the last output drain so the failure reason is in the tail.
        await sleep(20);
        throw this.exitError(spawnError);
      }
      let result: ProbeResult = 'not_ready';
      if (child.pid !== undefined) {
        try {
          result = await spec.probe(child.pid);
        } catch {
          result = 'not_ready';
        }
      }
      if (result === 'ready') {
        if (this.alive) return;
        continue; // died right after answering: report it on the next turn
      }
      if (result === 'foreign') {
        await this.forceKill();
        throw new ServiceStartError(
          spec.displayName,
          'port_taken',
          `another server answered on ${spec.host}:${spec.port} (it took the port between our check and the start)`,
          'retry with another port',
        );
      }
      if (Date.now() > deadline) {
        await this.forceKill();
        throw new ServiceStartError(
          spec.displayName,
          'timeout',
          `did not answer on ${spec.host}:${spec.port} within ${spec.readyTimeoutMs} ms; last output:\n${this.tailText()}\n(full log: ${spec.logFile})`,
        );
      }
      await Promise.race([sleep(100), this.exited]);
    }
  }

  private exitError(spawnError: NodeJS.ErrnoException | null): ServiceStartError {
    const { spec } = this;
    if (spawnError && (spawnError.code === 'ENOENT' || spawnError.code === 'EACCES')) {
      return new ServiceStartError(
        spec.displayName,
        'binary_missing',
        `cannot execute ${spec.command} (${spawnError.code})`,
        spec.missingBinaryHint,
      );
    }
    const tail = this.tailText();
    if (/address already in use/i.test(tail)) {
      return new ServiceStartError(
        spec.displayName,
        'port_taken',
        `port ${spec.host}:${spec.port} is already in use; last output:\n${tail}`,
        'choose another port or stop the program using it',
      );
    }
    const c = this.child;
    return new ServiceStartError(
      spec.displayName,
      'exited',
      `process exited early (code=${String(c?.exitCode)} signal=${String(c?.signalCode)}); last output:\n${tail}\n(full log: ${spec.logFile})`,
    );
  }

  private async forceKill(): Promise<void> {
    if (this.alive && this.child?.pid !== undefined) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.exited;
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (!this.alive) return this.exited;
    const pid = this.child?.pid;
    this.stopping = (async () => {
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.exited.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), this.spec.stopTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) await this.forceKill();
    })().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  async kill(): Promise<void> {
    await this.forceKill();
  }

  whenExited(): Promise<void> {
    return this.exited;
  }

  pid(): number | undefined {
    return this.alive ? this.child?.pid : undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    // The OS may need a moment to release the port after the old process exits.
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await this.start();
        return;
      } catch (err) {
        if (err instanceof ServiceStartError && err.reason === 'port_taken' && Date.now() < deadline) {
          await sleep(200);
          continue;
        }
        throw err;
      }
    }
  }
}

/** Spawn a server process and resolve once it answers its readiness probe. */
export async function launchManagedProcess(spec: LaunchSpec): Promise<ManagedService> {
  const service = new ManagedProcess(spec);
  await service.start();
  return service;
}
