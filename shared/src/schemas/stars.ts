import { Type, type Static } from '@sinclair/typebox';
import { Id, IsoDateTime, literalUnion } from './common';

/** Where a star came from: the nightly computation, or an admin's override (or its removal). */
export const STAR_SOURCES = ['computed', 'override', 'override_cleared'] as const;
export type StarSource = (typeof STAR_SOURCES)[number];
export const STAR_SOURCE_LABELS: Record<StarSource, string> = {
  computed: '按指标评定',
  override: '人工调整',
  override_cleared: '取消人工调整',
};

export const StarMetrics = Type.Object({
  tickets: Type.Integer({ minimum: 0 }),
  responseRate: Type.Union([Type.Number(), Type.Null()]),
  resolutionRate: Type.Union([Type.Number(), Type.Null()]),
  averageRating: Type.Union([Type.Number(), Type.Null()]),
  volume: Type.Number({ description: '留言量得分 = min(1, 留言数 / 目标量)' }),
});
export type StarMetrics = Static<typeof StarMetrics>;

export const StarHistoryEntry = Type.Object({
  id: Id,
  star: Type.Integer({ minimum: 0, maximum: 5 }),
  previous: Type.Integer({ minimum: 0, maximum: 5 }),
  source: literalUnion(STAR_SOURCES),
  reason: Type.String(),
  score: Type.Union([Type.Number(), Type.Null()], { description: '综合得分 0–1（按指标评定时）' }),
  metrics: Type.Union([StarMetrics, Type.Null()]),
  window: Type.Union([Type.Object({ from: Type.String(), to: Type.String() }), Type.Null()]),
  actorName: Type.String(),
  at: IsoDateTime,
});
export type StarHistoryEntry = Static<typeof StarHistoryEntry>;

export const StudioStars = Type.Object({
  studioId: Id,
  star: Type.Integer({ minimum: 0, maximum: 5, description: '当前星级（有人工调整时为调整值）' }),
  computed: Type.Union([
    Type.Object({
      star: Type.Integer({ minimum: 1, maximum: 5 }),
      score: Type.Number(),
      metrics: StarMetrics,
      at: IsoDateTime,
    }),
    Type.Null(),
  ]),
  override: Type.Union([
    Type.Object({
      star: Type.Integer({ minimum: 1, maximum: 5 }),
      reason: Type.String(),
      actorName: Type.String(),
      at: IsoDateTime,
    }),
    Type.Null(),
  ]),
  history: Type.Array(StarHistoryEntry),
});
export type StudioStars = Static<typeof StudioStars>;

export const StarOverrideBody = Type.Object(
  {
    star: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()], {
      description: '1–5 星；null 表示取消人工调整，恢复按指标评定的星级',
    }),
    reason: Type.String({ minLength: 2, maxLength: 200, description: '调整理由' }),
  },
  { additionalProperties: false },
);
export type StarOverrideBody = Static<typeof StarOverrideBody>;

export const StarRecomputeResponse = Type.Object({ queued: Type.Boolean() });
