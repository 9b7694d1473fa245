import type { Redis } from 'ioredis';
import {
  STATS_MAX_RANGE_DAYS,
  type StatsGroup,
  type StatsGroupBy,
  type StatsQuery,
  type StatsResponse,
  type StudioStatsQuery,
  type StudioStatsResponse,
} from '@mashangshang/shared';
import type { Models } from '../../models';
import { AppError } from '../../errors';
import { chinaDay, readRange, statsReady, type Counters } from './rollup';
import { anyStudioState } from '../../models/studios';

export interface StatsDeps {
  models: Models;
  redis: Redis;
  /** Asks the worker to build the rollup (when it is missing). */
  requestRebuild: () => Promise<void>;
}

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 30;

const UNGROUPED_LABELS: Record<Exclude<StatsGroupBy, 'studio'>, string> = {
  town: '（未归属镇街）',
  sector: '（未归属界别）',
  jointGroup: '（未归属联组）',
};

function resolveRange(query: Pick<StatsQuery, 'from' | 'to'>, now = Date.now()): { from: string; to: string } {
  const to = query.to ?? chinaDay(now);
  const from =
    query.from ??
    new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  const valid = (day: string) =>
    !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
  if (!valid(from) || !valid(to))
    throw new AppError('VALIDATION_FAILED', {
      logMessage: 'no such calendar day',
      userMessage: '日期无效，请检查后重试',
    });
  if (from > to)
    throw new AppError('VALIDATION_FAILED', { logMessage: 'from after to', userMessage: '起始日期不能晚于结束日期' });
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days > STATS_MAX_RANGE_DAYS)
    throw new AppError('VALIDATION_FAILED', {
      logMessage: 'range too long',
      userMessage: `统计范围不能超过 ${STATS_MAX_RANGE_DAYS} 天`,
    });
  return { from, to };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null);

/** The median of a histogram of first-response minutes (`r:<minutes>` counters); even counts average the middle two. */
export function histogramMedian(counters: Counters): number | null {
  const bins: [number, number][] = [];
  for (const [name, count] of counters)
    if (name.startsWith('r:') && count > 0) bins.push([Number(name.slice(2)), count]);
  const n = bins.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  bins.sort((a, b) => a[0] - b[0]);
  const at = (index: number) => {
    let seen = 0;
    for (const [value, count] of bins) {
      seen += count;
      if (index < seen) return value;
    }
    return bins[bins.length - 1]![0];
  };
  return (at(Math.floor((n - 1) / 2)) + at(Math.ceil((n - 1) / 2))) / 2;
}

export function groupStats(key: string, label: string, counters: Counters): StatsGroup {
  const get = (name: string) => counters.get(name) ?? 0;
  const tickets = get('total');
  // Not due: open before the deadline, or excused (waiting on the resident, or closed as 未补充 unanswered).
  const due = Math.max(0, tickets - get('notYetDue') - get('excused'));
  const rated = get('rated');
  return {
    key,
    label,
    tickets,
    byCategory: { consult: get('c:consult'), suggest: get('c:suggest'), help: get('c:help') },
    byStatus: {
      pending: get('s:pending'),
      assigned: get('s:assigned'),
      answered: get('s:answered'),
      waiting: get('s:waiting'),
      resolved: get('s:resolved'),
    },
    due,
    answeredInTime: get('inTime'),
    responseRate: ratio(get('inTime'), due),
    resolutionRate: ratio(get('s:resolved'), tickets),
    rated,
    averageRating: rated > 0 ? round(get('ratingSum') / rated, 2) : null,
    satisfiedShare: ratio(get('rating45'), rated),
    medianFirstResponseMinutes: histogramMedian(counters),
    outcomes: {
      consultation: get('o:consultation'),
      proposal: get('o:proposal'),
      public_opinion: get('o:public_opinion'),
      service_project: get('o:service_project'),
    },
    followUps: { asked: get('fu:asked'), settled: get('fu:settled'), unsettled: get('fu:unsettled') },
    infoRequests: {
      tickets: get('paused'),
      pausedHours: round(get('pausedMin') / 60, 1),
      closedUnsupplied: get('unsupplied'),
    },
    averageResolveHours: get('resolveTimed') > 0 ? round(get('resolveMin') / get('resolveTimed') / 60, 1) : null,
  };
}

function addInto(target: Counters, source: Counters) {
  for (const [name, value] of source) target.set(name, (target.get(name) ?? 0) + value);
}

/** Every studio, in list order, for grouping the statistics (retired ones too: they may have tickets in the range). */
export function statsStudiosQuery(models: Models) {
  return models.Studio.find(anyStudioState(), {
    name: 1,
    town: 1,
    sector: 1,
    jointGroup: 1,
    active: 1,
    sortOrder: 1,
  }).sort({ sortOrder: 1, _id: 1 });
}

export async function computeStats(deps: StatsDeps, query: StatsQuery, now = Date.now()): Promise<StatsResponse> {
  const { from, to } = resolveRange(query, now);
  const groupBy = query.groupBy ?? 'studio';
  if (!(await statsReady(deps.redis, deps.models))) {
    await deps.requestRebuild();
    throw new AppError('STATS_NOT_READY', { logMessage: 'statistics rollup not built yet; rebuild requested' });
  }
  const [studios, byStudio] = await Promise.all([
    statsStudiosQuery(deps.models).lean(),
    readRange(deps.redis, from, to, now),
  ]);

  const groups = new Map<string, { label: string; counters: Counters }>();
  const total: Counters = new Map();
  for (const studio of studios) {
    const counters = byStudio.get(String(studio._id));
    // Retired studios are listed only while they have tickets in the range.
    if (!counters && !studio.active) continue;
    let key: string;
    let label: string;
    if (groupBy === 'studio') {
      key = String(studio._id);
      label = studio.name;
    } else {
      key = (studio[groupBy] as string | null | undefined) ?? '';
      label = key || UNGROUPED_LABELS[groupBy];
    }
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { label, counters: new Map() }));
    if (counters) {
      addInto(group.counters, counters);
      addInto(total, counters);
    }
  }
  const rows = [...groups.entries()].map(([key, g]) => groupStats(key, g.label, g.counters));
  // Studios in their public order; named groups first, the ungrouped last.
  if (groupBy !== 'studio') rows.sort((a, b) => Number(a.key === '') - Number(b.key === ''));
  return {
    from,
    to,
    groupBy,
    generatedAt: new Date(now).toISOString(),
    total: groupStats('', '合计', total),
    groups: rows,
  };
}

/** One studio's figures over the range (the studio's own members see these). */
export async function computeStudioStats(
  deps: StatsDeps,
  studioId: string,
  query: StudioStatsQuery,
  now = Date.now(),
): Promise<StudioStatsResponse> {
  const { from, to } = resolveRange(query, now);
  const studio = await deps.models.Studio.findById(studioId, { name: 1 }).lean();
  if (!studio) throw new AppError('STUDIO_NOT_FOUND');
  if (!(await statsReady(deps.redis, deps.models))) {
    await deps.requestRebuild();
    throw new AppError('STATS_NOT_READY', { logMessage: 'statistics rollup not built yet; rebuild requested' });
  }
  const byStudio = await readRange(deps.redis, from, to, now);
  return {
    from,
    to,
    generatedAt: new Date(now).toISOString(),
    studio: groupStats(studioId, studio.name, byStudio.get(studioId) ?? new Map()),
  };
}
