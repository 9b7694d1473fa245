import { Type, type Static } from '@sinclair/typebox';
import { STATS_GROUP_BYS } from '../admin-enums';
import { IsoDateTime, literalUnion } from './common';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The longest range one statistics request may cover, in days. */
export const STATS_MAX_RANGE_DAYS = 731;

/** A calendar day in China time (UTC+8), e.g. 2026-11-26. */
export const CalendarDay = Type.String({
  pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$',
  description: '日期（北京时间），如 2026-11-26',
});

export const StatsQuery = Type.Object(
  {
    from: Type.Optional({ ...CalendarDay, description: '起始日期（含），按留言提交时间；默认 29 天前' }),
    to: Type.Optional({ ...CalendarDay, description: '结束日期（含）；默认今天' }),
    groupBy: Type.Optional(literalUnion(STATS_GROUP_BYS)),
  },
  { additionalProperties: false },
);
export type StatsQuery = Static<typeof StatsQuery>;

export const StatsExportQuery = Type.Composite(
  [StatsQuery, Type.Object({ format: Type.Optional(literalUnion(EXPORT_FORMATS)) })],
  { additionalProperties: false },
);
export type StatsExportQuery = Static<typeof StatsExportQuery>;

const Count = Type.Integer({ minimum: 0 });
const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: '0–1；没有可计算的数据时为 null',
});

export const StatsGroup = Type.Object({
  key: Type.String({ description: '分组键：工作室 id，或镇街/界别/联组名称（未归属时为空字符串）' }),
  label: Type.String(),
  tickets: Count,
  byCategory: Type.Object({ consult: Count, suggest: Count, help: Count }),
  byStatus: Type.Object({ pending: Count, assigned: Count, answered: Count, waiting: Count, resolved: Count }),
  /** Tickets whose deadline has passed, or that were answered: the response rate's denominator. */
  due: Count,
  answeredInTime: Count,
  responseRate: Rate,
  resolutionRate: Rate,
  rated: Count,
  averageRating: Type.Union([Type.Number({ minimum: 1, maximum: 5 }), Type.Null()]),
  satisfiedShare: Rate,
  medianFirstResponseMinutes: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  outcomes: Type.Object({ consultation: Count, proposal: Count, public_opinion: Count, service_project: Count }),
  followUps: Type.Object({ asked: Count, settled: Count, unsettled: Count }),
  /** 待补充: tickets that waited on their resident, the time they waited, those closed as 未补充. */
  infoRequests: Type.Object({
    tickets: Count,
    pausedHours: Type.Number({ minimum: 0, description: '等待群众补充信息的累计小时数（不计入工作室用时）' }),
    closedUnsupplied: Count,
  }),
  /** Average time from submit to the latest resolution, paused time left out. */
  averageResolveHours: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
});
export type StatsGroup = Static<typeof StatsGroup>;

export const StatsResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  groupBy: literalUnion(STATS_GROUP_BYS),
  generatedAt: IsoDateTime,
  total: StatsGroup,
  groups: Type.Array(StatsGroup),
});
export type StatsResponse = Static<typeof StatsResponse>;

/** A studio's own statistics, for its members (and admins): the same figures, one studio, no grouping. */
export const StudioStatsQuery = Type.Object(
  {
    from: Type.Optional({ ...CalendarDay, description: '起始日期（含），按留言提交时间；默认 29 天前' }),
    to: Type.Optional({ ...CalendarDay, description: '结束日期（含）；默认今天' }),
  },
  { additionalProperties: false },
);
export type StudioStatsQuery = Static<typeof StudioStatsQuery>;

export const StudioStatsResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  generatedAt: IsoDateTime,
  studio: StatsGroup,
});
export type StudioStatsResponse = Static<typeof StudioStatsResponse>;
