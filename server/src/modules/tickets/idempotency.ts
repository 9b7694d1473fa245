import type { Types } from 'mongoose';
import type { Redis } from 'ioredis';

/**
 * Which ticket a resident's Idempotency-Key produced, remembered in Redis so that a new submit (the
 * common case) needs no database lookup: on FerretDB a lookup by any field but `_id` reads the
 * whole tickets collection. The database's unique index on (residentId, idempotencyKey) stays the
 * authority; this is only the fast path, and a miss (expired, Redis lost or down) falls back to it.
 */
const KEY_TTL_SECONDS = 24 * 3600;

const cacheKey = (residentId: Types.ObjectId, idempotencyKey: string) => `idem:ticket:${String(residentId)}:${idempotencyKey}`;

export async function recallSubmit(redis: Redis, residentId: Types.ObjectId, idempotencyKey: string): Promise<string | null> {
  return redis.get(cacheKey(residentId, idempotencyKey)).catch(() => null);
}

export async function rememberSubmit(redis: Redis, residentId: Types.ObjectId, idempotencyKey: string, ticketId: Types.ObjectId): Promise<void> {
  await redis.set(cacheKey(residentId, idempotencyKey), String(ticketId), 'EX', KEY_TTL_SECONDS).catch(() => undefined);
}
