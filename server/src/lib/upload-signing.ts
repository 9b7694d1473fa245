import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Config } from '../config';

/**
 * Signed image URLs. WeChat's `<image>` cannot send an Authorization header, so an image URL
 * carries its own short-lived permission: `?exp=<unix seconds>&sig=<hex HMAC-SHA256("<id>.<exp>")>`.
 * The HMAC key is derived from JWT_SECRET with a fixed label, so a signature made here can never
 * be confused with (or replayed as) any other HMAC the server makes with that secret.
 */
const DEFAULT_UPLOAD_URL_TTL_SECONDS = 3600;
const KEY_LABEL = 'mashangshang/upload-url/v1';

type SecretSource = Pick<Config, 'jwtSecret'> | string;

function signingKey(source: SecretSource): Buffer {
  const secret = typeof source === 'string' ? source : source.jwtSecret;
  return createHmac('sha256', secret).update(KEY_LABEL).digest();
}

function signature(source: SecretSource, uploadId: string, exp: string): string {
  return createHmac('sha256', signingKey(source)).update(`${uploadId}.${exp}`).digest('hex');
}

/** A path like `/api/v1/uploads/<id>?exp=..&sig=..`, valid for `ttlSeconds`. */
export function signUploadUrl(
  source: SecretSource,
  uploadId: string | Types.ObjectId,
  ttlSeconds: number = DEFAULT_UPLOAD_URL_TTL_SECONDS,
  now: number = Date.now(),
): string {
  const id = String(uploadId);
  const exp = String(Math.floor(now / 1000) + Math.max(1, Math.floor(ttlSeconds)));
  return `/api/v1/uploads/${id}?exp=${exp}&sig=${signature(source, id, exp)}`;
}

/** True when `sig` was made by `signUploadUrl` for this id and `exp` has not passed. */
export function verifyUploadSignature(
  source: SecretSource,
  uploadId: string,
  exp: string,
  sig: string,
  now: number = Date.now(),
): boolean {
  if (!/^[0-9]{1,12}$/.test(exp) || !/^[0-9a-f]{64}$/.test(sig)) return false;
  if (Number(exp) * 1000 <= now) return false;
  const expected = Buffer.from(signature(source, uploadId, exp), 'hex');
  return timingSafeEqual(expected, Buffer.from(sig, 'hex'));
}
