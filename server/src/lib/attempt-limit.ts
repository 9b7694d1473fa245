import type { Redis } from 'ioredis';
import { AppError } from '../errors';

/**
 * A fixed-window counter in Redis for guessable secrets (invite codes): at most `limit` attempts
 * per `windowSeconds` for one key. The window starts at the first attempt.
 */
export async function countAttempt(redis: Redis, key: string, limit: number, windowSeconds: number): Promise<void> {
  const results = await redis.multi().incr(key).ttl(key).exec();
  const count = Number(results?.[0]?.[1] ?? 0);
  const ttl = Number(results?.[1]?.[1] ?? -1);
  // -1: the counter has no expiry yet (first attempt, or a lost EXPIRE): start the window now.
  if (ttl < 0) await redis.expire(key, windowSeconds);
  if (count > limit) {
    throw new AppError('RATE_LIMITED', { logMessage: `attempt limit reached for ${key.split(':')[0]}` });
  }
}
