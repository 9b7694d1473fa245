import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { Caller } from './actors';

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body built by hand, as `Taro.uploadFile` would send it. */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----mss${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(
      Buffer.from(`${head}\r\n`),
      Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads a real PNG (plus `trailer` bytes) as `caller`; returns the upload id, url and the bytes sent. */
export async function uploadPng(
  app: FastifyInstance,
  caller: Caller,
  text = 'photo',
  trailer = '',
): Promise<{ id: string; url: string; bytes: Buffer }> {
  // Bytes after the PNG's end are ignored by image readers; the fake WeChat judges images by such marks.
  const bytes = Buffer.concat([await QRCode.toBuffer(text, { type: 'png' }), Buffer.from(trailer, 'latin1')]);
  const body = multipart([{ name: 'file', filename: 'photo.png', contentType: 'image/png', data: bytes }]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    payload: body.payload,
    headers: { ...body.headers, ...caller.headers },
  });
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.body}`);
  return { ...(res.json() as { id: string; url: string }), bytes };
}
