import type { Models } from '../../models';

/** The calendar day in China (UTC+8, no daylight saving), as YYYYMMDD: ticket numbers follow local days. */
export function chinaDay(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600 * 1000);
  return local.toISOString().slice(0, 10).replace(/-/g, '');
}

/** Next human ticket number of the day, e.g. HN20261126-0042, from an atomic per-day counter. */
export async function nextTicketNumber(models: Models, at: Date, prefix = 'HN'): Promise<string> {
  const day = chinaDay(at);
  const counter = await models.Counter.findOneAndUpdate({ _id: `ticket-no-${day}` }, { $inc: { seq: 1 } }, { upsert: true, new: true }).lean();
  const seq = counter?.seq ?? 1;
  return `${prefix}${day}-${String(seq).padStart(4, '0')}`;
}
