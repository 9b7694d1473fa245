import type { BusinessDayBody, CalendarYear } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Actor } from '../auth/actor';
import { OFFICIAL_YEARS } from '../../lib/china-calendar';
import { forgetBusinessCalendar, loadBusinessCalendar } from '../../workflow';

/** A year's holidays and 调休 workdays as deadlines count them, and whether the built-in data has that year. */
export async function calendarYear(models: Models, year: number): Promise<CalendarYear> {
  forgetBusinessCalendar(); // the office reads what is stored now, not a minute ago
  const calendar = await loadBusinessCalendar(models);
  return { year, official: OFFICIAL_YEARS.has(year), days: calendar.specialDays(year) };
}

/** An admin decides one day (e.g. from next year's State Council notice): it overrides the built-in calendar. */
export async function setCalendarDay(models: Models, actor: Actor, date: string, body: BusinessDayBody): Promise<void> {
  const fields = { workday: body.workday, name: body.name.trim(), updatedBy: actor.name, updatedAt: new Date() };
  await models.CalendarDay.updateOne({ _id: date }, { $set: fields }, { upsert: true });
  forgetBusinessCalendar();
}

/** Removes an override: the day is what the built-in calendar says again. False when there was none. */
export async function clearCalendarDay(models: Models, date: string): Promise<boolean> {
  const { deletedCount } = await models.CalendarDay.deleteOne({ _id: date });
  forgetBusinessCalendar();
  return deletedCount > 0;
}
