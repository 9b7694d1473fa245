import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './common';

/** A day of China's calendar, as YYYY-MM-DD. */
const CalendarDate = Type.String({
  pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
  description: '日期，如 2027-02-08',
});

export const CalendarYearQuery = Type.Object(
  { year: Type.Integer({ minimum: 2004, maximum: 2099, description: '年份' }) },
  { additionalProperties: false },
);
export type CalendarYearQuery = Static<typeof CalendarYearQuery>;

export const CALENDAR_DAY_SOURCES = ['official', 'override'] as const;
export type CalendarDaySource = (typeof CALENDAR_DAY_SOURCES)[number];

/** A day that is not what its weekday says: a holiday on a weekday, or a 调休 workday on a weekend. */
export const BusinessDay = Type.Object({
  date: CalendarDate,
  workday: Type.Boolean({ description: 'true：上班（含调休上班日）；false：放假' }),
  name: Type.String({ description: '节日或调整说明' }),
  source: literalUnion(CALENDAR_DAY_SOURCES, { description: 'official：国务院放假安排（内置）；override：管理员录入' }),
});
export type BusinessDay = Static<typeof BusinessDay>;

export const CalendarYear = Type.Object({
  year: Type.Integer(),
  official: Type.Boolean({ description: '内置数据是否已收录该年国务院放假安排；未收录时请管理员按通知录入' }),
  days: Type.Array(BusinessDay),
});
export type CalendarYear = Static<typeof CalendarYear>;

export const BusinessDayParams = Type.Object({ date: CalendarDate }, { additionalProperties: false });
export type BusinessDayParams = Static<typeof BusinessDayParams>;

export const BusinessDayBody = Type.Object(
  {
    workday: Type.Boolean({ description: 'true：这天上班；false：这天放假' }),
    name: Type.String({ minLength: 1, maxLength: 40, description: '说明，如“春节”“春节调休上班”' }),
  },
  { additionalProperties: false },
);
export type BusinessDayBody = Static<typeof BusinessDayBody>;
