/**
 * Helpers that keep list queries index-friendly on both backends.
 *
 * The embedded FerretDB (SQLite backend, as setup patches it) reads a date range from an index only
 * when the range is bounded on both sides (by 13-digit millisecond values: 2001-09-09 .. 2286);
 * MongoDB is indifferent. A range open on one side is therefore closed with one of the bounds below,
 * which no stored date passes, so the query matches exactly the same documents.
 */

/**
 * No date this product stores is older: its first data is from 2026 (tickets, deadlines, notices,
 * image checks, resolutions, follow-ups), and it imports none from older systems. A range `$lt x`
 * becomes `$gte DATA_FLOOR, $lt x` with the same matches.
 */
export const DATA_FLOOR = new Date('2020-01-01T00:00:00+08:00');

/**
 * No date this product stores is this far ahead: deadlines are at most 720 hours after a submit or
 * reopen, everything else is the time of an event. A range `$gte x` becomes `$gte x, $lt DATA_CEILING`.
 */
export const DATA_CEILING = new Date('2200-01-01T00:00:00+08:00');

/** `$gte DATA_FLOOR, $lt before`: "any stored date before `before`", as a range bounded on both sides. */
export function before(at: Date): { $gte: Date; $lt: Date } {
  return { $gte: DATA_FLOOR, $lt: at };
}

/**
 * The conditions as one filter: empty ones dropped, one kept as it is (so a filter that is a single
 * `$or` stays a top-level `$or`, whose branches each become one index range), several under `$and`.
 */
export function allOf(...conditions: Record<string, unknown>[]): Record<string, unknown> {
  const kept = conditions.filter((c) => Object.keys(c).length > 0);
  if (kept.length === 0) return {};
  return kept.length === 1 ? kept[0]! : { $and: kept };
}
