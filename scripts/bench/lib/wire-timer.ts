/**
 * A TCP proxy in front of the database that times every command a client sends through it, for a
 * process the bench cannot instrument from inside (the worker): point the process's MONGODB_URI at
 * `uri`, and each request (MongoDB wire protocol, OP_MSG) is matched to its reply by requestID /
 * responseTo. The proxy runs as its own process (wire-timer-child.ts), so a busy bench process (the
 * API under load) never delays the traffic it times; it forwards bytes as they come (pipe, with
 * backpressure), reads only the 16-byte headers and, for OP_MSG, the command's name and collection
 * (and an insert's `_id`s), and reports each command over IPC, in batches.
 * Cost: one more local hop per command (the bench measures it with ping).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface WireCommand {
  /** e.g. "find", "insert", "findAndModify", "hello". */
  name: string;
  /** The collection, for commands whose first field names one. */
  collection: string | null;
  /** Epoch milliseconds (fractional) when the request's first bytes arrived at the proxy, and when the reply's last bytes did. */
  startedAt: number;
  endedAt: number;
  ms: number;
  /** For insert: the `_id`s inserted (hex strings) when they are ObjectIds. */
  insertedIds?: string[];
}

export interface WireTimer {
  /** mongodb://127.0.0.1:<proxy port>/<dbName> */
  uri: string;
  port: number;
  /** Every completed command reported so far, in completion order (reports arrive within ~50 ms). */
  commands: WireCommand[];
  /** Called for each reported command. */
  onCommand: ((command: WireCommand) => void) | null;
  /** Waits until every command completed so far has been reported. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Handshake, monitoring and session bookkeeping: not the work a delivery does. */
const HOUSEKEEPING = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'saslStart',
  'saslContinue',
  'endSessions',
  'getParameter',
  'getLog',
]);

type ChildMessage = { listening: number } | { commands: WireCommand[] } | { flushed: number };

export async function startWireTimer(target: { host: string; port: number }, dbName: string): Promise<WireTimer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'wire-timer-child.ts'), target.host, String(target.port)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const flushes = new Map<number, () => void>();
  let flushId = 0;
  const timer: WireTimer = {
    uri: '',
    port: 0,
    commands: [],
    onCommand: null,
    flush: () =>
      new Promise<void>((resolve) => {
        const id = ++flushId;
        flushes.set(id, resolve);
        child.send({ flush: id });
      }),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`wire timer exited with ${code}`)));
    child.on('message', (message: ChildMessage) => {
      if ('listening' in message) resolve(message.listening);
      else if ('commands' in message) {
        for (const c of message.commands) {
          timer.commands.push(c);
          timer.onCommand?.(c);
        }
      } else if ('flushed' in message) {
        flushes.get(message.flushed)?.();
        flushes.delete(message.flushed);
      }
    });
  });
  child.removeAllListeners('exit');
  timer.port = port;
  timer.uri = `mongodb://127.0.0.1:${port}/${dbName}`;
  return timer;
}

/** Sum and count of the non-housekeeping commands that started within [from, to] (epoch ms). */
export function commandsWithin(
  commands: WireCommand[],
  from: number,
  to: number,
): { count: number; ms: number; byName: Record<string, { count: number; ms: number }> } {
  const byName: Record<string, { count: number; ms: number }> = {};
  let count = 0;
  let ms = 0;
  for (const c of commands) {
    if (c.startedAt < from || c.startedAt > to || HOUSEKEEPING.has(c.name)) continue;
    count++;
    ms += c.ms;
    const key = `${c.name}${c.collection ? ` ${c.collection}` : ''}`;
    const entry = (byName[key] ??= { count: 0, ms: 0 });
    entry.count++;
    entry.ms += c.ms;
  }
  return { count, ms, byName };
}
