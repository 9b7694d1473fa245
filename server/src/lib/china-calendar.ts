import official from 'chinese-days/dist/chinese-days.json';

/**
 * China's working calendar: the State Council's holidays and 调休 workdays (from the maintained
 * `chinese-days` data, which covers each year once its notice is out, usually in November or
 * December), with the office's own overrides on top (next year's notice before the library has it,
 * a local arrangement). Days are China's (UTC+8, no daylight saving).
 */

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The China date (YYYY-MM-DD) of an instant. */
export function chinaDate(at: Date | number): string {
  return new Date(new Date(at).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a China date ends (23:59:59.999 China time). */
function endOfChinaDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS + DAY_MS - 1);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** A holiday's name in the data is "English,中文,days"; the Chinese name is what people read. */
const chineseName = (name: string) => name.split(',')[1] ?? name;

/** The years whose State Council arrangement the built-in data holds. */
export const OFFICIAL_YEARS: ReadonlySet<number> = new Set(
  [...Object.keys(official.holidays), ...Object.keys(official.workdays)].map((date) => Number(date.slice(0, 4))),
);

/** An office's decision for one day, over the official calendar. */
export interface DayOverride {
  workday: boolean;
  name: string;
}

/** A day that differs from what its weekday says, and why. */
export interface SpecialDay {
  date: string;
  workday: boolean;
  name: string;
  source: 'official' | 'override';
}

export class BusinessCalendar {
  constructor(private readonly overrides: ReadonlyMap<string, DayOverride> = new Map()) {}

  /** Whether people work on this China date. */
  isWorkday(date: string): boolean {
    const override = this.overrides.get(date);
    if (override) return override.workday;
    const holidays: Record<string, string> = official.holidays;
    const workdays: Record<string, string> = official.workdays;
    if (date in holidays) return false;
    if (date in workdays) return true;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The deadline `days` working days after `from`: the end of the `days`-th working day after the
   * day of `from` (that day itself does not count, as in the 12345 hotlines' rules: a question in on
   * Friday with one working day is due by the end of Monday).
   */
  workdayDeadline(from: Date, days: number): Date {
    let date = chinaDate(from);
    for (let counted = 0; counted < days;) {
      date = nextDate(date);
      if (this.isWorkday(date)) counted += 1;
    }
    return endOfChinaDay(date);
  }

  /** Working days after the day of `from` up to and including the day of `to` (0 when `to` is not later). */
  workdaysBetween(from: Date, to: Date): number {
    const last = chinaDate(to);
    let count = 0;
    for (let date = nextDate(chinaDate(from)); date <= last; date = nextDate(date))
      if (this.isWorkday(date)) count += 1;
    return count;
  }

  /** The year's days that are not what their weekday says: holidays on weekdays, workdays on weekends, overrides. */
  specialDays(year: number): SpecialDay[] {
    const days = new Map<string, SpecialDay>();
    const prefix = `${year}-`;
    for (const [date, name] of Object.entries(official.holidays as Record<string, string>)) {
      if (date.startsWith(prefix))
        days.set(date, { date, workday: false, name: chineseName(name), source: 'official' });
    }
    for (const [date, name] of Object.entries(official.workdays as Record<string, string>)) {
      if (date.startsWith(prefix))
        days.set(date, { date, workday: true, name: `${chineseName(name)}调休上班`, source: 'official' });
    }
    for (const [date, override] of this.overrides) {
      if (date.startsWith(prefix)) days.set(date, { date, ...override, source: 'override' });
    }
    return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
  }
}
