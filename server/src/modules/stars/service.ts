import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { StarMetrics, StarOverrideBody, StudioStars } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Config } from '../../config';
import type { Actor } from '../auth/actor';
import { STAR_METRICS, type StarMetric } from '../../operations-config';
import { AppError } from '../../errors';
import { withDocumentLock } from '../../lib/document-lock';
import { chinaDay, readRange } from '../stats/rollup';
import { groupStats } from '../stats/service';
import type { StarHistoryDoc, StarStateDoc } from '../../models/stars';

type StarSettings = Config['operations']['stars'];
const DAY_MS = 86_400_000;
const HISTORY_SHOWN = 50;

/**
 * The star formula (documented in the README): each metric normalized to 0–1 —
 *   response    = answered within the deadline / tickets due
 *   resolution  = resolved / tickets
 *   satisfaction = (average rating − 1) / 4
 *   volume      = min(1, tickets / volumeTarget)
 * score = Σ weight × metric / Σ weight, over the metrics that have data (a studio nobody rated is
 * judged on the others); stars = 1 + the number of thresholds the score reaches (1–5).
 */
function starScore(
  metrics: StarMetrics,
  settings: Pick<StarSettings, 'weights' | 'thresholds'>,
): { score: number; star: number } {
  const values: Record<StarMetric, number | null> = {
    response: metrics.responseRate,
    resolution: metrics.resolutionRate,
    satisfaction: metrics.averageRating === null ? null : (metrics.averageRating - 1) / 4,
    volume: metrics.volume,
  };
  let weighted = 0;
  let weights = 0;
  for (const metric of STAR_METRICS) {
    const value = values[metric];
    if (value === null) continue;
    weighted += settings.weights[metric] * value;
    weights += settings.weights[metric];
  }
  const score = weights > 0 ? Math.round((weighted / weights) * 10_000) / 10_000 : 0;
  return { score, star: 1 + settings.thresholds.filter((t) => score >= t).length };
}

/** The trailing window of whole days a nightly run judges: the `windowDays` days before today (China time). */
function starWindow(windowDays: number, now = Date.now()): { from: string; to: string } {
  const today = Date.parse(`${chinaDay(now)}T00:00:00Z`);
  return {
    from: new Date(today - windowDays * DAY_MS).toISOString().slice(0, 10),
    to: new Date(today - DAY_MS).toISOString().slice(0, 10),
  };
}

export interface StarDeps {
  models: Models;
  redis: Redis;
  log: FastifyBaseLogger;
}

/**
 * The nightly run: every active studio's metrics over the window from the statistics rollup, its
 * computed star, and the star it shows (the override when an admin set one). History records each
 * change. Idempotent: a second run the same night changes nothing.
 */
export async function computeStars(
  deps: StarDeps,
  settings: StarSettings,
  now = Date.now(),
): Promise<{ rated: number; changed: number; kept: number }> {
  const { models } = deps;
  const window = starWindow(settings.windowDays, now);
  const byStudio = await readRange(deps.redis, window.from, window.to, now);
  const studios = await models.Studio.find({ active: true }, { _id: 1 }).lean();
  let rated = 0;
  let changed = 0;
  let kept = 0;
  for (const { _id } of studios) {
    const group = groupStats(String(_id), '', byStudio.get(String(_id)) ?? new Map());
    if (group.tickets < settings.minTickets) {
      kept += 1;
      continue;
    }
    const metrics: StarMetrics = {
      tickets: group.tickets,
      responseRate: group.responseRate,
      resolutionRate: group.resolutionRate,
      averageRating: group.averageRating,
      volume: Math.round(Math.min(1, group.tickets / settings.volumeTarget) * 10_000) / 10_000,
    };
    const { score, star } = starScore(metrics, settings);
    rated += 1;
    const at = new Date(now);
    const didChange = await withDocumentLock(deps.redis, `studio:${String(_id)}`, async () => {
      const state = await models.StarState.findById(_id).lean<StarStateDoc>();
      const starChanged = state?.computed?.star !== star;
      const previous = starChanged ? ((await models.Studio.findById(_id, { star: 1 }).lean())?.star ?? 0) : 0;
      // The studio's star before the computed one, so whoever reads the new computed star already
      // sees it shown. With an override the studio keeps showing it; the computed star is still recorded.
      if (starChanged && !state?.override) await models.Studio.updateOne({ _id }, { $set: { star } });
      await models.StarState.updateOne({ _id }, { $set: { computed: { star, score, metrics, at } } }, { upsert: true });
      if (!starChanged) return false;
      await models.StarHistory.create({
        studioId: _id,
        star,
        previous,
        source: 'computed',
        reason: state?.override ? '按指标评定（当前有人工调整，仍显示调整后的星级）' : '按指标评定',
        score,
        metrics,
        window,
        actorName: '系统',
        at,
      });
      return true;
    });
    if (didChange) changed += 1;
  }
  deps.log.info({ rated, changed, kept, window }, 'star ratings computed');
  return { rated, changed, kept };
}

function historyView(doc: StarHistoryDoc) {
  return {
    id: String(doc._id),
    star: doc.star,
    previous: doc.previous,
    source: doc.source,
    reason: doc.reason,
    score: doc.score ?? null,
    metrics: doc.metrics ?? null,
    window: doc.window ?? null,
    actorName: doc.actorName,
    at: doc.at.toISOString(),
  };
}

/** A studio's latest star changes, newest first ({studioId, _id} index). */
export function starHistoryQuery(models: Models, studioId: Types.ObjectId) {
  return models.StarHistory.find({ studioId }).sort({ _id: -1 }).limit(HISTORY_SHOWN);
}

export async function getStudioStars(models: Models, studioId: string): Promise<StudioStars> {
  const _id = new Types.ObjectId(studioId);
  const [studio, state, history] = await Promise.all([
    models.Studio.findById(_id, { star: 1 }).lean(),
    models.StarState.findById(_id).lean<StarStateDoc>(),
    starHistoryQuery(models, _id).lean<StarHistoryDoc[]>(),
  ]);
  if (!studio) throw new AppError('STUDIO_NOT_FOUND');
  return {
    studioId,
    star: studio.star,
    computed: state?.computed
      ? {
          star: state.computed.star,
          score: state.computed.score,
          metrics: state.computed.metrics,
          at: state.computed.at.toISOString(),
        }
      : null,
    override: state?.override
      ? {
          star: state.override.star,
          reason: state.override.reason,
          actorName: state.override.actorName,
          at: state.override.at.toISOString(),
        }
      : null,
    history: history.map(historyView),
  };
}

/** An admin sets a studio's star by hand (with a reason), or clears the override to show the computed star again. */
export async function overrideStar(
  deps: Omit<StarDeps, 'log'>,
  actor: Actor,
  studioId: string,
  body: StarOverrideBody,
): Promise<StudioStars> {
  const { models } = deps;
  const _id = new Types.ObjectId(studioId);
  const reason = body.reason.trim();
  if ([...reason].length < 2)
    throw new AppError('VALIDATION_FAILED', { logMessage: 'override without a reason', userMessage: '请填写调整理由' });
  await withDocumentLock(deps.redis, `studio:${studioId}`, async () => {
    const studio = await models.Studio.findById(_id, { star: 1 }).lean();
    if (!studio) throw new AppError('STUDIO_NOT_FOUND');
    const state = await models.StarState.findById(_id).lean<StarStateDoc>();
    const at = new Date();
    if (body.star === null) {
      if (!state?.override)
        throw new AppError('CONFLICT', {
          logMessage: 'no override to clear',
          userMessage: '该工作室当前没有人工调整的星级',
        });
      const star = state.computed?.star ?? studio.star;
      await models.StarState.updateOne({ _id }, { $set: { override: null } });
      await models.Studio.updateOne({ _id }, { $set: { star } });
      await models.StarHistory.create({
        studioId: _id,
        star,
        previous: studio.star,
        source: 'override_cleared',
        reason,
        score: null,
        metrics: null,
        window: null,
        actorName: actor.name,
        at,
      });
    } else {
      await applyStarOverride(models, actor, _id, body.star, reason, studio.star, at);
    }
  });
  return getStudioStars(models, studioId);
}

/** A reason an admin typed for a star change, trimmed; refused when too short to mean anything. */
export function starReasonOf(raw: string | undefined): string {
  const reason = (raw ?? '').trim();
  if ([...reason].length < 2)
    throw new AppError('VALIDATION_FAILED', {
      logMessage: 'star change without a reason',
      userMessage: '修改星级须填写调整理由（至少 2 个字），理由将记入星级变更记录',
    });
  return reason;
}

/**
 * Sets an admin's override: the star shown, the override state and a history entry. The caller holds
 * the studio's document lock (both the star route and the studio PATCH come through here, so no
 * star change escapes the history).
 */
export async function applyStarOverride(
  models: Models,
  actor: Actor,
  _id: Types.ObjectId,
  star: number,
  reason: string,
  previous: number,
  at = new Date(),
): Promise<void> {
  await models.StarState.updateOne(
    { _id },
    { $set: { override: { star, reason, actorName: actor.name, at } } },
    { upsert: true },
  );
  await models.Studio.updateOne({ _id }, { $set: { star } });
  await models.StarHistory.create({
    studioId: _id,
    star,
    previous,
    source: 'override',
    reason,
    score: null,
    metrics: null,
    window: null,
    actorName: actor.name,
    at,
  });
}
