/**
 * The timing proxy's process (see wire-timer.ts): `node --import tsx wire-timer-child.ts <host> <port>`.
 * Listens on a free local port, forwards every connection to the database, and sends the parent
 * `{ listening: port }`, then `{ commands: [...] }` every 50 ms and `{ flushed: id }` when asked.
 */
import net from 'node:net';
import { mongo } from 'mongoose';
import type { WireCommand } from './wire-timer';

const OP_MSG = 2013;
const now = () => performance.timeOrigin + performance.now();

/** Reads a cstring at `offset`; returns it and the offset after its NUL. */
function cstring(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  return [buf.toString('utf8', offset, end), end + 1];
}

interface Parsed {
  requestId: number;
  name: string;
  collection: string | null;
  insertedIds?: string[];
}

/** Name, collection and (inserts) ids of an OP_MSG request; null for anything else. */
function parseRequest(msg: Buffer): Parsed | null {
  const requestId = msg.readInt32LE(4);
  if (msg.readInt32LE(12) !== OP_MSG) return { requestId, name: `op${msg.readInt32LE(12)}`, collection: null };
  const flags = msg.readUInt32LE(16);
  const end = msg.length - (flags & 1 ? 4 : 0);
  let offset = 20;
  let body: Buffer | null = null;
  const sequences: Buffer[] = [];
  while (offset < end) {
    const kind = msg[offset]!;
    if (kind === 0) {
      const size = msg.readInt32LE(offset + 1);
      body = msg.subarray(offset + 1, offset + 1 + size);
      offset += 1 + size;
    } else {
      const size = msg.readInt32LE(offset + 1);
      const [, docsAt] = cstring(msg, offset + 5);
      let at = docsAt;
      while (at < offset + 1 + size) {
        const docSize = msg.readInt32LE(at);
        sequences.push(msg.subarray(at, at + docSize));
        at += docSize;
      }
      offset += 1 + size;
    }
  }
  if (!body || body.length < 6) return { requestId, name: '?', collection: null };
  const type = body[4]!;
  const [name, valueAt] = cstring(body, 5);
  const collection =
    type === 0x02 ? body.toString('utf8', valueAt + 4, valueAt + 4 + body.readInt32LE(valueAt) - 1) : null;
  const parsed: Parsed = { requestId, name, collection };
  if (name === 'insert') {
    const docs = sequences.length
      ? sequences.map((d) => mongo.BSON.deserialize(d))
      : ((mongo.BSON.deserialize(body).documents as Record<string, unknown>[] | undefined) ?? []);
    parsed.insertedIds = docs
      .map((d) => d._id)
      .filter((id): id is mongo.ObjectId => id instanceof mongo.ObjectId)
      .map((id) => id.toHexString());
  }
  return parsed;
}

/** Splits a byte stream into whole wire messages (int32 length first). */
function messageSplitter(onMessage: (msg: Buffer, firstByteAt: number) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  let firstByteAt = 0;
  return (chunk) => {
    if (pending.length === 0) firstByteAt = now();
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4) {
      const size = pending.readInt32LE(0);
      if (pending.length < size) break;
      onMessage(pending.subarray(0, size), firstByteAt);
      pending = pending.subarray(size);
      firstByteAt = now();
    }
  };
}

const [host, portArg] = process.argv.slice(2);
let batch: WireCommand[] = [];
const send = (message: unknown) => process.send?.(message);
setInterval(() => {
  if (batch.length === 0) return;
  send({ commands: batch });
  batch = [];
}, 50).unref();
process.on('message', (message: { flush?: number }) => {
  if (message.flush === undefined) return;
  if (batch.length) send({ commands: batch });
  batch = [];
  send({ flushed: message.flush });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

const server = net.createServer((client) => {
  const upstream = net.connect(Number(portArg), host);
  const inFlight = new Map<number, Parsed & { startedAt: number }>();
  client.on(
    'data',
    messageSplitter((msg, at) => {
      const parsed = parseRequest(msg);
      if (parsed) inFlight.set(parsed.requestId, { ...parsed, startedAt: at });
    }),
  );
  upstream.on(
    'data',
    messageSplitter((msg) => {
      const request = inFlight.get(msg.readInt32LE(8));
      if (!request) return;
      inFlight.delete(request.requestId);
      const endedAt = now();
      batch.push({
        name: request.name,
        collection: request.collection,
        startedAt: request.startedAt,
        endedAt,
        ms: endedAt - request.startedAt,
        ...(request.insertedIds ? { insertedIds: request.insertedIds } : {}),
      });
    }),
  );
  client.pipe(upstream);
  upstream.pipe(client);
  const done = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', done).on('close', done);
  upstream.on('error', done).on('close', done);
});
server.listen(0, '127.0.0.1', () => send({ listening: (server.address() as net.AddressInfo).port }));
