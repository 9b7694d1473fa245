import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { FollowUpBody } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Config } from '../../config';
import type { Producers } from '../../queues';
import type { Actor } from '../auth/actor';
import type { FollowUpRecord, TicketDoc, TimelineEvent } from '../tickets/model';
import { AppError } from '../../errors';
import { withDocumentLock } from '../../lib/document-lock';
import { DATA_FLOOR } from '../../lib/query-bounds';
import { outboxEntry, recordNotices, dispatchNotices, scheduleDeadlines } from '../notifications/outbox';
import { syncTicketStats } from '../stats/rollup';

type FollowUpSettings = Config['operations']['followUp'];
const HOUR_MS = 3600_000;
const ADD_TIMEOUT_MS = 1500;
const SWEEP_BATCH = 200;

export const FOLLOW_UP_JOB = 'follow-up';

export interface FollowUpDeps {
  models: Models;
  redis: Redis;
  queues: Producers;
  config: Config;
  log: FastifyBaseLogger;
}

function systemEvent(type: TimelineEvent['type'], content: string, at: Date): TimelineEvent {
  return { _id: new Types.ObjectId(), type, at, actor: { role: 'system', id: null, name: '系统' }, content };
}

/**
 * Called by the resolve flow after the guarded update: the follow-up of this resolution is
 * recorded as due (then queued by the route, and found by the sweeper if the queue missed it).
 */
export async function recordFollowUpDue(models: Models, ticket: Pick<TicketDoc, '_id' | 'status' | 'resolvedAt'>, log?: FastifyBaseLogger): Promise<void> {
  if (ticket.status !== 'resolved' || !ticket.resolvedAt) return;
  try {
    await models.FollowUpDue.updateOne({ _id: ticket._id }, { $set: { resolvedAt: ticket.resolvedAt } }, { upsert: true });
  } catch (error) {
    log?.warn({ ticketId: String(ticket._id), reason: (error as Error).message }, 'follow-up not recorded; the nightly repair will');
  }
}

/** A delayed job for the follow-up of a resolution just made; its id makes a repeat a no-op. */
export async function scheduleFollowUp(queues: Producers, ticket: Pick<TicketDoc, '_id' | 'status' | 'resolvedAt'>, settings: FollowUpSettings, log: FastifyBaseLogger): Promise<void> {
  if (ticket.status !== 'resolved' || !ticket.resolvedAt) return;
  const resolvedAt = ticket.resolvedAt.getTime();
  const delay = Math.max(0, resolvedAt + settings.afterSeconds * 1000 - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('queue add not confirmed')), ADD_TIMEOUT_MS);
  });
  await Promise.race([queues.operations.add(FOLLOW_UP_JOB, { ticketId: String(ticket._id), resolvedAt: ticket.resolvedAt.toISOString() }, { jobId: `fu-${String(ticket._id)}-${resolvedAt}`, delay }), timeout])
    .catch((error: Error) => log.warn({ ticketId: String(ticket._id), reason: error.message }, 'follow-up not queued; the sweeper will ask'))
    .finally(() => clearTimeout(timer));
}

/**
 * Asks the resident whether the matter was really settled: a timeline event and a notice (in the
 * app, and by WeChat if they consented), recorded on the ticket in one write under its lock. Does
 * nothing when the ticket was reopened since, or this resolution was already asked about.
 */
export async function askFollowUp(deps: FollowUpDeps, ticketId: string, resolvedAtIso: string): Promise<string> {
  const { models } = deps;
  const _id = new Types.ObjectId(ticketId);
  const resolvedAt = new Date(resolvedAtIso);
  const result = await withDocumentLock(deps.redis, `ticket:${ticketId}`, async () => {
    const ticket = await models.Ticket.findById(_id).lean<TicketDoc>();
    const current = ticket?.status === 'resolved' && ticket.resolvedAt?.getTime() === resolvedAt.getTime();
    if (!ticket || !current) return { state: 'stale' as const };
    if (ticket.followUp?.resolvedAt?.getTime() === resolvedAt.getTime()) return { state: 'already-asked' as const };
    const now = new Date();
    const previous = ticket.followUp;
    const followUp: FollowUpRecord = {
      resolvedAt,
      askedAt: now,
      answeredAt: null,
      settled: null,
      askedCount: (previous?.askedCount ?? 0) + 1,
      settledCount: previous?.settledCount ?? 0,
      unsettledCount: previous?.unsettledCount ?? 0,
    };
    const notice = recordNotices([outboxEntry('follow_up', { kind: 'user', id: ticket.residentId }, now)], now)!;
    const updated = await models.Ticket.findOneAndUpdate(
      { _id, status: 'resolved', resolvedAt },
      {
        $set: { followUp, ...notice.set },
        $push: { timeline: systemEvent('follow_up', '回头看：已请群众确认问题是否真正解决', now), ...notice.push },
        $inc: { version: 1 },
      },
      { new: true },
    ).lean<TicketDoc>();
    return updated ? { state: 'asked' as const, ticket: updated } : { state: 'stale' as const };
  });
  // Asked, or nothing to ask for this resolution any more: it is no longer pending.
  await models.FollowUpDue.deleteOne({ _id, resolvedAt });
  if (result.state === 'asked') {
    await dispatchNotices(deps.queues, result.ticket, deps.log);
    await syncTicketStats(deps.redis, result.ticket, deps.log);
  }
  return result.state;
}

/**
 * Follow-ups due: resolutions at or before `cutoff` ({resolvedAt} index). Bounded below by
 * DATA_FLOOR (no resolution is older), the two-sided form FerretDB reads from the index.
 */
export function dueFollowUpsQuery(models: Models, cutoff: Date) {
  return models.FollowUpDue.find({ resolvedAt: { $gte: DATA_FLOOR, $lte: cutoff } }).limit(SWEEP_BATCH);
}

/** The safety net: asks every follow-up that is due, whether or not its delayed job ran. */
export async function sweepFollowUps(deps: FollowUpDeps, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - deps.config.operations.followUp.afterSeconds * 1000);
  const due = await dueFollowUpsQuery(deps.models, cutoff).lean();
  for (const entry of due) await askFollowUp(deps, String(entry._id), entry.resolvedAt.toISOString());
  return due.length;
}

/** Records follow-ups a crash left out (resolved tickets neither asked about nor pending). Part of the nightly run. */
export async function repairFollowUps(models: Models): Promise<number> {
  const [resolved, pending] = await Promise.all([
    models.Ticket.find({ status: 'resolved' }, { resolvedAt: 1, followUp: 1, status: 1 }).lean<Pick<TicketDoc, '_id' | 'status' | 'resolvedAt' | 'followUp'>[]>(),
    models.FollowUpDue.find({}, { _id: 1 }).lean(),
  ]);
  const have = new Set(pending.map((p) => String(p._id)));
  let added = 0;
  for (const ticket of resolved) {
    if (!ticket.resolvedAt || have.has(String(ticket._id)) || ticket.followUp?.resolvedAt?.getTime() === ticket.resolvedAt.getTime()) continue;
    await recordFollowUpDue(models, ticket);
    added += 1;
  }
  return added;
}

/**
 * The resident's answer. Settled: noted on the timeline. Not settled: the ticket goes back to its
 * studio as a reopen does (new deadline, the assignee told), whatever the 7-day reopen window says.
 */
export async function answerFollowUp(models: Models, actor: Actor, id: string, body: FollowUpBody): Promise<TicketDoc> {
  const _id = new Types.ObjectId(id);
  const ticket = await models.Ticket.findOne({ _id, residentId: actor.id }).lean<TicketDoc>();
  if (!ticket) throw new AppError('TICKET_NOT_FOUND');
  const followUp = ticket.followUp;
  if (!followUp?.askedAt || ticket.status !== 'resolved' || followUp.resolvedAt?.getTime() !== ticket.resolvedAt?.getTime()) throw new AppError('FOLLOW_UP_NOT_ASKED');
  if (followUp.answeredAt) throw new AppError('FOLLOW_UP_ANSWERED');

  const now = new Date();
  const comment = body.comment?.trim() ?? '';
  const who = { role: actor.role, id: actor.id, name: ticket.anonymous ? '匿名群众' : ticket.contactName ?? '群众' };
  const answer: TimelineEvent = { _id: new Types.ObjectId(), type: body.settled ? 'follow_up_settled' : 'follow_up_unsettled', at: now, actor: who, ...(comment ? { content: comment } : {}) };
  const answered = { ...followUp, answeredAt: now, settled: body.settled, ...(body.settled ? { settledCount: followUp.settledCount + 1 } : { unsettledCount: followUp.unsettledCount + 1 }) };
  // The guard repeats what was checked above, so a concurrent answer or reopen is refused, not doubled.
  const guard = { _id, residentId: actor.id, status: 'resolved', resolvedAt: ticket.resolvedAt, 'followUp.answeredAt': null };

  let updated: TicketDoc | null;
  if (body.settled) {
    updated = await models.Ticket.findOneAndUpdate(guard, { $set: { followUp: answered }, $push: { timeline: answer }, $inc: { version: 1 } }, { new: true }).lean<TicketDoc>();
  } else {
    const studio = await models.Studio.findById(ticket.studioId, { slaHours: 1 }).lean();
    const notice = recordNotices(ticket.assigneeId ? [outboxEntry('ticket_reopened', { kind: 'member', id: ticket.assigneeId }, now)] : [], now);
    const reason = comment ? `回头看：群众反映问题尚未解决——${comment}` : '回头看：群众反映问题尚未解决';
    updated = await models.Ticket.findOneAndUpdate(
      guard,
      {
        $set: {
          followUp: answered,
          status: ticket.assigneeId ? 'assigned' : 'pending',
          answeredAt: null,
          resolvedAt: null,
          outcome: null,
          dueAt: new Date(now.getTime() + (studio?.slaHours ?? 24) * HOUR_MS),
          remindedAt: null,
          overdueNotifiedAt: null,
          escalatedAt: null,
          ...(notice?.set ?? {}),
        },
        $inc: { reopenCount: 1, version: 1 },
        $push: { timeline: { $each: [answer, { _id: new Types.ObjectId(), type: 'reopened', at: now, actor: who, content: reason }] }, ...(notice?.push ?? {}) },
      },
      { new: true },
    ).lean<TicketDoc>();
  }
  if (!updated) {
    const current = await models.Ticket.findOne({ _id, residentId: actor.id }, { followUp: 1, status: 1 }).lean<TicketDoc>();
    throw current?.followUp?.answeredAt ? new AppError('FOLLOW_UP_ANSWERED') : new AppError('FOLLOW_UP_NOT_ASKED');
  }
  return updated;
}

/** What follows an answer, outside the lock: notices, the new deadline's stages, statistics. */
export async function afterFollowUpAnswer(deps: FollowUpDeps, ticket: TicketDoc): Promise<void> {
  await dispatchNotices(deps.queues, ticket, deps.log);
  if (ticket.timeline.at(-1)?.type === 'reopened') await scheduleDeadlines(deps.queues, ticket, deps.config.notifications, deps.log);
  await syncTicketStats(deps.redis, ticket, deps.log);
}
