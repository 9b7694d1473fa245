import type { SlaUnit } from '@mashangshang/shared';
import type { Models } from '../models';
import { BusinessCalendar, type DayOverride } from '../lib/china-calendar';

const HOUR_MS = 3600_000;
/** Overrides change a few times a year: each process re-reads them at most this often. */
const CALENDAR_TTL_MS = 60_000;

let cached: { calendar: BusinessCalendar; at: number } | null = null;

/** China's working calendar with the office's overrides (cached per process; see CALENDAR_TTL_MS). */
export async function loadBusinessCalendar(models: Models, now = Date.now()): Promise<BusinessCalendar> {
  if (cached && now - cached.at < CALENDAR_TTL_MS) return cached.calendar;
  const days = await models.CalendarDay.find({}, { workday: 1, name: 1 }).lean();
  const overrides = new Map<string, DayOverride>(days.map((d) => [d._id, { workday: d.workday, name: d.name }]));
  cached = { calendar: new BusinessCalendar(overrides), at: now };
  return cached.calendar;
}

/** Forget the cached calendar: this process changed an override. */
export function forgetBusinessCalendar(): void {
  cached = null;
}

/** What of a studio its deadline depends on (a studio stored before working days counts hours). */
export interface StudioDeadline {
  slaHours: number;
  slaUnit?: SlaUnit | null;
  slaWorkdays?: number | null;
}

/** The response deadline of a ticket that starts (or starts again) now at this studio. */
export async function deadlineFor(models: Models, studio: StudioDeadline, now: Date): Promise<Date> {
  if (studio.slaUnit === 'workdays' && studio.slaWorkdays) {
    return (await loadBusinessCalendar(models)).workdayDeadline(now, studio.slaWorkdays);
  }
  return new Date(now.getTime() + studio.slaHours * HOUR_MS);
}

/**
 * The deadline of a paused ticket (待补充) whose clock runs again now: the time that was left at the
 * pause, counted from now. Natural hours: exactly. Working days: the working days that were left after
 * the day of the pause, at least one (a pause on the last day still leaves the studio a working day).
 * A ticket already overdue at the pause stays overdue by as much.
 */
export async function resumedDeadline(
  models: Models,
  studio: StudioDeadline,
  dueAt: Date,
  pausedAt: Date,
  now: Date,
): Promise<Date> {
  const left = dueAt.getTime() - pausedAt.getTime();
  if (left <= 0 || !(studio.slaUnit === 'workdays' && studio.slaWorkdays)) return new Date(now.getTime() + left);
  const calendar = await loadBusinessCalendar(models);
  return calendar.workdayDeadline(now, Math.max(1, calendar.workdaysBetween(pausedAt, dueAt)));
}

/** The studio fields `deadlineFor` reads. */
export const DEADLINE_PROJECTION = { slaHours: 1, slaUnit: 1, slaWorkdays: 1 } as const;
