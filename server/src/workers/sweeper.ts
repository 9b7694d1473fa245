import type { TicketDoc } from '../models/tickets';
import { WechatApiError, WechatUnavailableError } from '../wechat/client';
import { addDeadlineJob, dispatchNotices } from '../queues';
import { changeTicket, OPEN_STATUSES } from '../workflow';
import type { Models } from '../models';
import { before } from '../lib/query-bounds';
import type { WorkerDeps } from '../modules/notifications/deliver';
import { recheckPendingMedia } from '../modules/media-check/service';

const BATCH = 500;

/**
 * Tickets with a notice recorded before `cutoff` and still undelivered ({noticesPendingSince}).
 * `$gte DATA_FLOOR` stands for "is a date" (the field is null once the outbox is drained): the same
 * matches as `$ne: null`, as a range bounded on both sides, which FerretDB reads from the index.
 */
export function staleNoticesQuery(models: Models, cutoff: Date) {
  return models.Ticket.find({ noticesPendingSince: before(cutoff) }, { outbox: 1 }).limit(BATCH);
}

/**
 * Open tickets whose deadline stage `field` is due (deadline before `dueBefore`) and not yet notified:
 * per open status, a {status, dueAt} range. The deadline is bounded below by DATA_FLOOR, which no
 * deadline precedes: FerretDB reads a date range from an index only when it is bounded on both sides.
 */
export function deadlineStageQuery(
  models: Models,
  field: 'remindedAt' | 'overdueNotifiedAt' | 'escalatedAt',
  dueBefore: Date,
) {
  return models.Ticket.find(
    { status: { $in: [...OPEN_STATUSES] }, [field]: null, dueAt: before(dueBefore) },
    { dueAt: 1 },
  ).limit(BATCH);
}

/** Tickets accepted while WeChat's text check was unreachable ({contentCheck} index). */
export function pendingContentQuery(models: Models) {
  return models.Ticket.find({ contentCheck: 'pending' }, { residentId: 1, content: 1 }).limit(100);
}

/**
 * The safety net behind the outbox, run as a repeatable job: queues notices recorded but not
 * delivered after a while (a crash or a Redis outage between the write and the queue), deadline
 * stages whose delayed job never ran, and content checks WeChat could not answer at submit time.
 */
export async function sweep(
  deps: WorkerDeps,
): Promise<{ notices: number; deadlines: number; rechecked: number; images: { asked: number; toReview: number } }> {
  const { models, config } = deps;
  const now = Date.now();
  const settings = config.notifications;

  // Undelivered notices: queued again under a time-bucketed id, so a sweep adds at most one job per
  // notice per period; the worker's state check makes any duplicate job harmless.
  const stale = await staleNoticesQuery(models, new Date(now - settings.requeueAfterSeconds * 1000)).lean<
    Pick<TicketDoc, '_id' | 'outbox'>[]
  >();
  const bucket = Math.floor(now / (settings.requeueAfterSeconds * 1000));
  for (const ticket of stale) await dispatchNotices(deps.queues, ticket, deps.log, `-s${bucket}`);
  const notices = stale.reduce((n, t) => n + t.outbox.filter((e) => !e.doneAt).length, 0);

  // Deadline stages that are due but not notified: run the stage now (same deterministic job id).
  const stages = [
    { stage: 'reminder' as const, field: 'remindedAt' as const, dueBefore: now + settings.remindBeforeSeconds * 1000 },
    { stage: 'overdue' as const, field: 'overdueNotifiedAt' as const, dueBefore: now },
    {
      stage: 'escalated' as const,
      field: 'escalatedAt' as const,
      dueBefore: now - settings.escalateAfterSeconds * 1000,
    },
  ];
  let deadlines = 0;
  for (const { stage, field, dueBefore } of stages) {
    const due = await deadlineStageQuery(models, field, new Date(dueBefore)).lean();
    for (const ticket of due) {
      await addDeadlineJob(deps.queues, String(ticket._id), stage, ticket.dueAt);
    }
    deadlines += due.length;
  }

  return { notices, deadlines, rechecked: await recheckPendingContent(deps), images: await recheckPendingMedia(deps) };
}

/** Tickets accepted while WeChat's content check was unreachable get their check now. */
async function recheckPendingContent(deps: WorkerDeps): Promise<number> {
  const { models } = deps;
  const pending = await pendingContentQuery(models).lean();
  let done = 0;
  for (const ticket of pending) {
    const user = await models.User.findById(ticket.residentId, { openid: 1 }).lean();
    if (!user) continue;
    let suggest: 'pass' | 'review' | 'risky';
    try {
      ({ suggest } = await deps.wechat.msgSecCheck({ openid: user.openid, content: ticket.content, scene: 3 }));
    } catch (error) {
      if (error instanceof WechatUnavailableError || error instanceof WechatApiError) return done; // still down: next sweep
      throw error;
    }
    // Passed: members may see it now, and its assignee is told. Not passed: an admin looks at it.
    if (suggest === 'pass') await changeTicket(deps, 'contentPassed', ticket._id, {});
    else await changeTicket(deps, 'contentFlagged', ticket._id, { risky: suggest === 'risky' });
    done += 1;
  }
  return done;
}
