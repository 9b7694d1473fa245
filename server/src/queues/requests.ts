import type { FastifyBaseLogger } from 'fastify';
import type { TicketDoc } from '../models/tickets';
import type { Config } from '../config';
import { JOB_NAMES, dedupIds, jobIds } from './jobs';
import { addWithTimeout, type Producers } from './producers';

/**
 * Adding jobs. A failed add (Redis down) is logged, not thrown: what it was for is recorded in the
 * database, and a sweeper adds it again once Redis is back.
 */

/** Queues the ticket's undelivered notices. */
export async function dispatchNotices(
  queues: Producers,
  ticket: Pick<TicketDoc, '_id' | 'outbox'>,
  log: FastifyBaseLogger,
  jobIdSuffix = '',
): Promise<void> {
  const pending = (ticket.outbox ?? []).filter((entry) => !entry.doneAt);
  await Promise.all(
    pending.map((entry) => {
      const data = { ticketId: String(ticket._id), noticeId: String(entry._id) };
      return addWithTimeout(
        queues.notify.add(JOB_NAMES.notify, data, { jobId: jobIds.notice(data.noticeId, jobIdSuffix) }),
      ).catch((error: Error) =>
        log.warn({ reason: error.message, noticeId: data.noticeId }, 'notice not queued; the sweeper will retry'),
      );
    }),
  );
}

/** The deadline stages of one deadline and when each is due. */
function deadlineStages(dueAt: Date, settings: Config['notifications']) {
  const due = dueAt.getTime();
  return [
    { stage: 'reminder' as const, at: due - settings.remindBeforeSeconds * 1000 },
    { stage: 'overdue' as const, at: due },
    { stage: 'escalated' as const, at: due + settings.escalateAfterSeconds * 1000 },
  ];
}

/** Adds one deadline stage's job, delayed until it is due (at once when it already is). */
export function addDeadlineJob(
  queues: Producers,
  ticketId: string,
  stage: 'reminder' | 'overdue' | 'escalated',
  dueAt: Date,
  at = Date.now(),
) {
  const data = { ticketId, stage, dueAt: dueAt.toISOString() };
  const jobId = jobIds.deadline(ticketId, stage, dueAt);
  return addWithTimeout(queues.deadlines.add(JOB_NAMES.deadline, data, { jobId, delay: Math.max(0, at - Date.now()) }));
}

/** Delayed jobs for the deadline stages of the ticket's current dueAt (while it waits for an answer). */
export async function scheduleDeadlines(
  queues: Producers,
  ticket: Pick<TicketDoc, '_id' | 'status' | 'dueAt'>,
  settings: Config['notifications'],
  log: FastifyBaseLogger,
): Promise<void> {
  if (ticket.status !== 'pending' && ticket.status !== 'assigned') return;
  const ticketId = String(ticket._id);
  await Promise.all(
    deadlineStages(ticket.dueAt, settings).map(({ stage, at }) =>
      addDeadlineJob(queues, ticketId, stage, ticket.dueAt, at).catch((error: Error) =>
        log.warn({ reason: error.message, ticketId }, 'deadline not scheduled; the sweeper will retry'),
      ),
    ),
  );
}

/** A delayed job for the follow-up of a resolution just made. */
export async function scheduleFollowUp(
  queues: Producers,
  ticket: Pick<TicketDoc, '_id' | 'status' | 'resolvedAt'>,
  settings: Config['operations']['followUp'],
  log: FastifyBaseLogger,
): Promise<void> {
  if (ticket.status !== 'resolved' || !ticket.resolvedAt) return;
  const ticketId = String(ticket._id);
  const delay = Math.max(0, ticket.resolvedAt.getTime() + settings.afterSeconds * 1000 - Date.now());
  const data = { ticketId, resolvedAt: ticket.resolvedAt.toISOString() };
  await addWithTimeout(
    queues.operations.add(JOB_NAMES.followUp, data, { jobId: jobIds.followUp(ticketId, ticket.resolvedAt), delay }),
  ).catch((error: Error) =>
    log.warn({ ticketId, reason: error.message }, 'follow-up not queued; the sweeper will ask'),
  );
}

/** Asks a worker to reconcile the statistics rollup; asks while one waits or runs are ignored. */
export async function requestStatsReconcile(queues: Producers, log: FastifyBaseLogger): Promise<void> {
  const options = { deduplication: { id: dedupIds.statsReconcile } };
  await addWithTimeout(queues.operations.add(JOB_NAMES.statsReconcile, {}, options)).catch((error: Error) =>
    log.warn({ reason: error.message }, 'statistics reconcile not queued'),
  );
}

/** Asks a worker for a star run now (an admin's request); the same job as the nightly one. */
export async function requestStarRatings(queues: Producers): Promise<boolean> {
  try {
    await addWithTimeout(queues.operations.add(JOB_NAMES.starRatings, {}, { jobId: jobIds.starRatingsNow() }));
    return true;
  } catch {
    return false;
  }
}
