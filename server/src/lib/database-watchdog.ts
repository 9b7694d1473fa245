import net from 'node:net';
import mongoose, { type Connection, type ConnectOptions } from 'mongoose';

/** Resolves true when something accepts a TCP connection at host:port within timeoutMs. */
function portAnswers(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** host and port of a plain mongodb:// URI with one host; null otherwise (SRV, replica sets). */
export function singleHostOf(uri: string): { host: string; port: number } | null {
  const match = /^mongodb:\/\/(?:[^@/]*@)?([^,/:?]+)(?::(\d+))?(?:[/?]|$)/.exec(uri);
  if (!match) return null;
  return { host: match[1]!, port: Number(match[2] ?? 27017) };
}

/**
 * The driver has every server of its topology marked unknown (it lost them and has not found them
 * again). A database that is merely slow stays known: the driver never marks a server unknown for a
 * timeout, so load alone never makes the watchdog replace the client.
 */
export function driverLostServers(connection: Connection): boolean {
  const client = connection.getClient() as unknown as {
    topology?: { description?: { servers?: Map<string, { type: string }> } };
  };
  const servers = client.topology?.description?.servers;
  if (!servers || servers.size === 0) return false;
  return [...servers.values()].every((server) => server.type === 'Unknown');
}

export interface DatabaseWatchdogOptions {
  uri: string;
  connectOptions: ConnectOptions;
  /** Resolves true when the database answers through `connection` (a ping). */
  ping: () => Promise<boolean>;
  /** Whether the client has lost the database (default: driverLostServers). */
  lost?: () => boolean;
  onReconnect: (reason: string) => void;
  intervalMs?: number;
  /** Failed checks in a row (ping failed, servers lost, the port answers) before the client is replaced. */
  failuresBeforeReconnect?: number;
}

/**
 * Replaces the MongoDB client of `connection` when it stays unable to reach a database that is up:
 * pings fail, the driver has the server marked unknown, and the database's port answers, several
 * checks in a row.
 *
 * Why: after the database restarts under load (measured with FerretDB in the fault matrix, about one
 * restart in three), the driver can keep the server marked unknown and never dial it again: every
 * operation fails server selection with the old "connection N closed" error for as long as the
 * process lives, while a fresh client connects at once. A database that is really down (its port
 * refuses) is left alone: the driver reconnects by itself when it comes back.
 */
export function watchDatabase(connection: Connection, options: DatabaseWatchdogOptions): { stop(): void } {
  const address = singleHostOf(options.uri);
  const intervalMs = options.intervalMs ?? 2000;
  const threshold = options.failuresBeforeReconnect ?? 5;
  const lost = options.lost ?? (() => driverLostServers(connection));
  let failures = 0;
  let running = false;
  let stopped = false;

  const tick = async () => {
    if (running || stopped || !address) return;
    running = true;
    try {
      if ((await options.ping()) || !lost() || !(await portAnswers(address.host, address.port, 1000))) {
        failures = 0;
        return;
      }
      failures += 1;
      if (failures < threshold || stopped) return;
      failures = 0;
      options.onReconnect(`database lost by the client for ${threshold} checks while its port answers`);
      // Close the driver's client (not mongoose's connection: a force-closed one refuses every later
      // operation), then open a new client on the same mongoose connection, so every model keeps working.
      await connection
        .getClient()
        .close(true)
        .catch(() => undefined);
      // openUri does nothing on a connection it believes connected to the same URI.
      (connection as unknown as { readyState: number }).readyState = mongoose.ConnectionStates.disconnected;
      await connection.openUri(options.uri, options.connectOptions).catch(() => undefined);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
