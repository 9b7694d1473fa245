import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Models } from '../models';
import { chinaDate } from '../lib/china-calendar';

/** The calendar day in China (UTC+8, no daylight saving), as YYYYMMDD: ticket numbers follow local days. */
export function chinaDay(at: Date): string {
  return chinaDate(at).replace(/-/g, '');
}

/** A day's counter outlives the day a little, so a submit at midnight still finds it. */
const COUNTER_TTL_SECONDS = 3 * 24 * 3600;
/** How many of the day's newest tickets are read for the highest number: covers submits that overlapped. */
const FLOOR_SAMPLE = 20;

const NEXT_IF_PRESENT =
  "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incr', KEYS[1]) end return false";
const RAISE_TO_FLOOR_THEN_NEXT =
  "local current = tonumber(redis.call('get', KEYS[1]) or '0') if current < tonumber(ARGV[1]) then redis.call('set', KEYS[1], ARGV[1]) end redis.call('expire', KEYS[1], ARGV[2]) return redis.call('incr', KEYS[1])";

const format = (prefix: string, day: string, seq: number) => `${prefix}${day}-${String(seq).padStart(4, '0')}`;

/**
 * The day's newest numbered tickets. '.' is the character after '-': the `no` range is exactly the
 * day's numbers. Newest by _id, since numbers past 9999 do not sort as text. A ticket's _id is made
 * after the instant its number's day comes from (submitTicket), so no ticket of the day has an _id
 * older than the day's start: that bound is an _id range every backend reads from its _id index, so
 * the day's first submit (nothing numbered yet) does not walk the whole collection looking for one.
 */
export function dayNumbersQuery(models: Models, prefix: string, day: string) {
  const dayStart = Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00+08:00`);
  return models.Ticket.find(
    {
      _id: { $gte: Types.ObjectId.createFromTime(Math.floor(dayStart / 1000)) },
      no: { $gte: `${prefix}${day}-`, $lt: `${prefix}${day}.` },
    },
    { no: 1 },
  )
    .sort({ _id: -1 })
    .limit(FLOOR_SAMPLE);
}

/** The highest sequence number already given out on that day, read from the tickets themselves. */
async function highestStoredSeq(models: Models, prefix: string, day: string): Promise<number> {
  const head = `${prefix}${day}-`;
  const newest = await dayNumbersQuery(models, prefix, day).lean();
  return newest.reduce((max, ticket) => Math.max(max, Number(ticket.no.slice(head.length)) || 0), 0);
}

/**
 * Next human ticket number of the day, e.g. HN20261126-0042. Redis INCR hands them out: atomic
 * across every API process and one round trip, so submits never queue behind one another for a
 * number (a database counter would need a lock on FerretDB, whose `$inc` is not atomic). The tickets
 * stay the authority: a missing counter (a new day, Redis emptied) starts from the highest number
 * stored, `afterCollision` (the unique index refused the last number: Redis restored an older state)
 * raises the counter to it, and with Redis down the number comes from the tickets alone, its rare
 * duplicates refused by the unique index and retried by the caller.
 */
export async function nextTicketNumber(
  models: Models,
  redis: Redis,
  at: Date,
  options: { prefix?: string; afterCollision?: boolean } = {},
): Promise<string> {
  const prefix = options.prefix ?? 'HN';
  const day = chinaDay(at);
  const key = `ticket-no:${prefix}${day}`;
  /** The script's number; null when it found no counter; 'down' when Redis did not answer. */
  const counter = (script: string, ...args: string[]): Promise<number | null | 'down'> =>
    redis.eval(script, 1, key, ...args).then(
      (value) => (value === null ? null : Number(value)),
      () => 'down' as const,
    );
  const next = options.afterCollision ? null : await counter(NEXT_IF_PRESENT);
  if (typeof next === 'number') return format(prefix, day, next);
  const floor = await highestStoredSeq(models, prefix, day);
  const raised =
    next === 'down' ? 'down' : await counter(RAISE_TO_FLOOR_THEN_NEXT, String(floor), String(COUNTER_TTL_SECONDS));
  const seq = typeof raised === 'number' ? raised : floor + 1;
  return format(prefix, day, seq);
}
