import type { TicketDoc } from '../tickets/model';
import { withDocumentLock } from '../../lib/document-lock';
import { WechatApiError, WechatUnavailableError } from '../../wechat/client';
import { dispatchNotices } from './outbox';
import { releaseToMembers } from '../tickets/service';
import type { WorkerDeps } from './deliver';
import { recheckPendingMedia } from '../media-check/service';

const BATCH = 500;

/**
 * The safety net behind the outbox, run as a repeatable job: queues notices recorded but not
 * delivered after a while (a crash or a Redis outage between the write and the queue), deadline
 * stages whose delayed job never ran, and content checks WeChat could not answer at submit time.
 */
export async function sweep(deps: WorkerDeps): Promise<{ notices: number; deadlines: number; rechecked: number; images: { asked: number; toReview: number } }> {
  const { models, config } = deps;
  const now = Date.now();
  const settings = config.notifications;

  // Undelivered notices: queued again under a time-bucketed id, so a sweep adds at most one job per
  // notice per period; the worker's state check makes any duplicate job harmless.
  const stale = await models.Ticket.find({ noticesPendingSince: { $ne: null, $lt: new Date(now - settings.requeueAfterSeconds * 1000) } }, { outbox: 1 })
    .limit(BATCH)
    .lean<Pick<TicketDoc, '_id' | 'outbox'>[]>();
  const bucket = Math.floor(now / (settings.requeueAfterSeconds * 1000));
  for (const ticket of stale) await dispatchNotices(deps.queues, ticket, deps.log, `-s${bucket}`);
  const notices = stale.reduce((n, t) => n + t.outbox.filter((e) => !e.doneAt).length, 0);

  // Deadline stages that are due but not notified: run the stage now (same deterministic job id).
  const open = { status: { $in: ['pending', 'assigned'] } };
  const stages = [
    { stage: 'reminder' as const, field: 'remindedAt', before: now + settings.remindBeforeSeconds * 1000 },
    { stage: 'overdue' as const, field: 'overdueNotifiedAt', before: now },
    { stage: 'escalated' as const, field: 'escalatedAt', before: now - settings.escalateAfterSeconds * 1000 },
  ];
  let deadlines = 0;
  for (const { stage, field, before } of stages) {
    const due = await models.Ticket.find({ ...open, [field]: null, dueAt: { $lt: new Date(before) } }, { dueAt: 1 }).limit(BATCH).lean();
    for (const ticket of due) {
      await deps.queues.deadlines.add('deadline', { ticketId: String(ticket._id), stage, dueAt: ticket.dueAt.toISOString() }, { jobId: `dl-${String(ticket._id)}-${stage}-${ticket.dueAt.getTime()}` });
    }
    deadlines += due.length;
  }

  return { notices, deadlines, rechecked: await recheckPendingContent(deps), images: await recheckPendingMedia(deps) };
}

/** Tickets accepted while WeChat's content check was unreachable get their check now. */
export async function recheckPendingContent(deps: WorkerDeps): Promise<number> {
  const { models } = deps;
  const pending = await models.Ticket.find({ contentCheck: 'pending' }, { residentId: 1, content: 1 }).limit(100).lean();
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
    const released = await withDocumentLock(deps.redis, `ticket:${String(ticket._id)}`, async () => {
      // Passed: members may see it now, and its assignee is told.
      if (suggest === 'pass') return releaseToMembers(models, ticket._id, 'system', '内容安全复检通过');
      await models.Ticket.updateOne(
        { _id: ticket._id, contentCheck: 'pending' },
        {
          $set: { contentCheck: 'review', flagged: true },
          $push: { timeline: { at: new Date(), type: 'flagged', actor: { role: 'system', id: null, name: '系统' }, content: suggest === 'risky' ? '内容安全复检未通过，请管理员处理' : '内容待人工复核' } },
          $inc: { version: 1 },
        },
      );
      return null;
    });
    if (released) await dispatchNotices(deps.queues, released, deps.log);
    done += 1;
  }
  return done;
}
