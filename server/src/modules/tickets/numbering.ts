import type { Redis } from 'ioredis';
import type { Models } from '../../models';
import { withDocumentLock } from '../../lib/document-lock';

/** The calendar day in China (UTC+8, no daylight saving), as YYYYMMDD: ticket numbers follow local days. */
export function chinaDay(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600 * 1000);
  return local.toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * Next human ticket number of the day, e.g. HN20261126-0042, from a per-day counter. FerretDB's
 * `$inc` is not atomic, so increments run under a Redis lock; without it a rare duplicate number is
 * caught by the unique index and retried by the caller.
 */
export async function nextTicketNumber(models: Models, redis: Redis, at: Date, prefix = 'HN'): Promise<string> {
  const day = chinaDay(at);
  const increment = () => models.Counter.findOneAndUpdate({ _id: `ticket-no-${day}` }, { $inc: { seq: 1 } }, { upsert: true, new: true }).lean();
  // Lock unavailable (Redis down, or busy past the wait): increment unlocked; the unique index backs it up.
  const counter = await withDocumentLock(redis, `counter:ticket-no-${day}`, increment, { waitMs: 3000 }).catch(() => increment());
  const seq = counter?.seq ?? 1;
  return `${prefix}${day}-${String(seq).padStart(4, '0')}`;
}
