/**
 * Minimal raw-socket clients used only for readiness probes, so the launchers
 * do not depend on a database driver: one MongoDB OP_MSG command, one RESP command.
 */
import net from 'node:net';

type Scalar = number | string | boolean | null;

/** Send a single request and collect bytes until `complete(buffer)` says the reply is whole. */
function roundTrip(
  host: string,
  port: number,
  request: Buffer,
  complete: (data: Buffer) => boolean,
  timeoutMs: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let data = Buffer.alloc(0);
    let settled = false;
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      if (err) reject(err);
      else resolve(data);
    };
    const timer = setTimeout(
      () => finish(new Error(`no reply from ${host}:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (complete(data)) finish(null);
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error(`connection to ${host}:${port} closed before a full reply`)));
  });
}

// --------------------------------------------------------------------------- BSON (tiny subset)

function encodeDocument(doc: Record<string, number | string>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const name = Buffer.from(`${key}\0`, 'utf8');
    if (typeof value === 'number') {
      const v = Buffer.alloc(4);
      v.writeInt32LE(value);
      parts.push(Buffer.from([0x10]), name, v);
    } else {
      const str = Buffer.from(`${value}\0`, 'utf8');
      const len = Buffer.alloc(4);
      len.writeInt32LE(str.length);
      parts.push(Buffer.from([0x02]), name, len, str);
    }
  }
  const body = Buffer.concat(parts);
  const size = Buffer.alloc(4);
  size.writeInt32LE(4 + body.length + 1);
  return Buffer.concat([size, body, Buffer.from([0])]);
}

/** Decode the top-level scalar fields of a BSON document (nested values are skipped). */
function decodeTopLevel(buf: Buffer): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  const end = buf.readInt32LE(0) - 1;
  let i = 4;
  const cstringEnd = (from: number): number => {
    const zero = buf.indexOf(0, from);
    if (zero < 0) throw new Error('malformed BSON');
    return zero;
  };
  while (i < end) {
    const type = buf.readUInt8(i);
    const nameEnd = cstringEnd(i + 1);
    const key = buf.toString('utf8', i + 1, nameEnd);
    i = nameEnd + 1;
    switch (type) {
      case 0x01:
        out[key] = buf.readDoubleLE(i);
        i += 8;
        break;
      case 0x02:
      case 0x0d:
      case 0x0e: {
        const len = buf.readInt32LE(i);
        if (type === 0x02) out[key] = buf.toString('utf8', i + 4, i + 4 + len - 1);
        i += 4 + len;
        break;
      }
      case 0x03:
      case 0x04:
      case 0x0f:
        i += buf.readInt32LE(i);
        break;
      case 0x05:
        i += 4 + 1 + buf.readInt32LE(i);
        break;
      case 0x06:
      case 0x0a:
      case 0x7f:
      case 0xff:
        if (type === 0x0a) out[key] = null;
        break;
      case 0x07:
        i += 12;
        break;
      case 0x08:
        out[key] = buf.readUInt8(i) === 1;
        i += 1;
        break;
      case 0x09:
      case 0x11:
        i += 8;
        break;
      case 0x0b:
        i = cstringEnd(cstringEnd(i) + 1) + 1;
        break;
      case 0x0c:
        i += 4 + buf.readInt32LE(i) + 12;
        break;
      case 0x10:
        out[key] = buf.readInt32LE(i);
        i += 4;
        break;
      case 0x12:
        out[key] = Number(buf.readBigInt64LE(i));
        i += 8;
        break;
      case 0x13:
        i += 16;
        break;
      default:
        throw new Error(`unsupported BSON type 0x${type.toString(16)}`);
    }
  }
  return out;
}

let requestId = 1;

/**
 * Run one command (e.g. `{ ping: 1 }`) against a MongoDB-wire server with OP_MSG and
 * return the top-level scalar fields of the reply (e.g. `{ ok: 1 }`).
 */
export async function mongoCommand(
  host: string,
  port: number,
  command: Record<string, number | string>,
  timeoutMs = 1000,
): Promise<Record<string, Scalar>> {
  const doc = encodeDocument({ ...command, $db: 'admin' });
  const header = Buffer.alloc(16);
  const flags = Buffer.alloc(4); // flagBits = 0
  const total = 16 + 4 + 1 + doc.length;
  header.writeInt32LE(total, 0);
  header.writeInt32LE(requestId++ & 0x7fffffff, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12); // OP_MSG
  const request = Buffer.concat([header, flags, Buffer.from([0]), doc]);
  const reply = await roundTrip(
    host,
    port,
    request,
    (data) => data.length >= 4 && data.length >= data.readInt32LE(0),
    timeoutMs,
  );
  const opCode = reply.readInt32LE(12);
  if (opCode !== 2013) throw new Error(`unexpected reply opcode ${opCode}`);
  // header(16) + flagBits(4); then sections: we expect a kind-0 body first.
  const kind = reply.readUInt8(20);
  if (kind !== 0) throw new Error(`unexpected OP_MSG section kind ${kind}`);
  return decodeTopLevel(reply.subarray(21));
}

// --------------------------------------------------------------------------- RESP

function encodeResp(args: string[]): Buffer {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return Buffer.from(out, 'utf8');
}

/** Length of a complete RESP2 reply at the start of `data`, or -1 when incomplete. */
function respLength(data: Buffer, from = 0): number {
  const lineEnd = data.indexOf('\r\n', from);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(data.readUInt8(from));
  const head = data.toString('utf8', from + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+':
    case '-':
    case ':':
      return afterLine - from;
    case '$': {
      const n = Number(head);
      if (n < 0) return afterLine - from;
      return data.length >= afterLine + n + 2 ? afterLine + n + 2 - from : -1;
    }
    case '*': {
      const n = Number(head);
      let pos = afterLine;
      for (let k = 0; k < n; k++) {
        const len = respLength(data, pos);
        if (len < 0) return -1;
        pos += len;
      }
      return pos - from;
    }
    default:
      throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
  }
}

/**
 * Send one Redis command and return the reply: simple/bulk strings as string,
 * integers as number, errors thrown. Arrays are returned as raw text.
 */
export async function redisCommand(
  host: string,
  port: number,
  args: string[],
  timeoutMs = 1000,
): Promise<string | number | null> {
  const reply = await roundTrip(host, port, encodeResp(args), (data) => respLength(data) >= 0, timeoutMs);
  const lineEnd = reply.indexOf('\r\n');
  const type = String.fromCharCode(reply.readUInt8(0));
  const head = reply.toString('utf8', 1, lineEnd);
  switch (type) {
    case '+':
      return head;
    case '-':
      throw new Error(`redis error: ${head}`);
    case ':':
      return Number(head);
    case '$': {
      const n = Number(head);
      return n < 0 ? null : reply.toString('utf8', lineEnd + 2, lineEnd + 2 + n);
    }
    default:
      return reply.toString('utf8');
  }
}
