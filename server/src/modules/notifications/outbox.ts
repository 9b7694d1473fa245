import { Types } from 'mongoose';
import type { FastifyBaseLogger } from 'fastify';
import type { NoticeKind } from '@mashangshang/shared';
import type { NoticeRecipient, OutboxEntry, TicketDoc } from '../tickets/model';
import type { Producers } from '../../queues';
import type { Config } from '../../config';

/** An add that Redis does not confirm in this time is left to the sweeper. */
const QUEUE_ADD_TIMEOUT_MS = 1500;

function bounded<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue add not confirmed within ${QUEUE_ADD_TIMEOUT_MS} ms`)), QUEUE_ADD_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function outboxEntry(kind: NoticeKind, recipient: NoticeRecipient, at = new Date()): OutboxEntry {
  return { _id: new Types.ObjectId(), kind, recipient, createdAt: at, doneAt: null };
}

/**
 * The part of a ticket update that records notices: appended in the same write as the change.
 * Merge it into the update's `$push` and `$set`.
 */
export function recordNotices(entries: OutboxEntry[], at = new Date()): { push: { outbox: { $each: OutboxEntry[] } }; set: { noticesPendingSince: Date } } | null {
  if (entries.length === 0) return null;
  return { push: { outbox: { $each: entries } }, set: { noticesPendingSince: at } };
}

/**
 * Queues the ticket's undelivered notices. Failing to queue (Redis down) is logged, not thrown:
 * the notices are on the ticket and the sweeper queues them once Redis is back.
 */
export async function dispatchNotices(queues: Producers, ticket: Pick<TicketDoc, '_id' | 'outbox'>, log: FastifyBaseLogger, jobIdSuffix = ''): Promise<void> {
  const pending = (ticket.outbox ?? []).filter((entry) => !entry.doneAt);
  await Promise.all(
    pending.map((entry) =>
      bounded(queues.notify.add('notify', { ticketId: String(ticket._id), noticeId: String(entry._id) }, { jobId: `${String(entry._id)}${jobIdSuffix}` })).catch((error: Error) => log.warn({ reason: error.message, noticeId: String(entry._id) }, 'notice not queued; the sweeper will retry')),
    ),
  );
}

/** Delayed jobs for the deadline stages of the ticket's current dueAt; deterministic ids make repeats no-ops. */
export async function scheduleDeadlines(
  queues: Producers,
  ticket: Pick<TicketDoc, '_id' | 'status' | 'dueAt'>,
  settings: Config['notifications'],
  log: FastifyBaseLogger,
): Promise<void> {
  if (ticket.status !== 'pending' && ticket.status !== 'assigned') return;
  const due = ticket.dueAt.getTime();
  const stages = [
    { stage: 'reminder' as const, at: due - settings.remindBeforeSeconds * 1000 },
    { stage: 'overdue' as const, at: due },
    { stage: 'escalated' as const, at: due + settings.escalateAfterSeconds * 1000 },
  ];
  await Promise.all(
    stages.map(({ stage, at }) =>
      bounded(
        queues.deadlines.add('deadline', { ticketId: String(ticket._id), stage, dueAt: ticket.dueAt.toISOString() }, { jobId: `dl-${String(ticket._id)}-${stage}-${due}`, delay: Math.max(0, at - Date.now()) }),
      ).catch((error: Error) => log.warn({ reason: error.message, ticketId: String(ticket._id) }, 'deadline not scheduled; the sweeper will retry')),
    ),
  );
}
