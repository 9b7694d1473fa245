import type { FastifyBaseLogger } from 'fastify';
import type { Models } from '../models';
import type { TicketDoc } from '../models/tickets';
import { DATA_FLOOR } from '../lib/query-bounds';

const SWEEP_BATCH = 200;

/**
 * Records the follow-up of a resolution as due (after the resolve's write, under the ticket's lock);
 * its delayed job asks it, and the sweeper finds it here if the job was lost.
 */
export async function recordFollowUpDue(
  models: Models,
  ticket: Pick<TicketDoc, '_id' | 'status' | 'resolvedAt'>,
  log?: FastifyBaseLogger,
): Promise<void> {
  if (ticket.status !== 'resolved' || !ticket.resolvedAt) return;
  try {
    await models.FollowUpDue.updateOne(
      { _id: ticket._id },
      { $set: { resolvedAt: ticket.resolvedAt } },
      { upsert: true },
    );
  } catch (error) {
    log?.warn(
      { ticketId: String(ticket._id), reason: (error as Error).message },
      'follow-up not recorded; the nightly repair will',
    );
  }
}

/**
 * Follow-ups due: resolutions at or before `cutoff` ({resolvedAt} index). Bounded below by
 * DATA_FLOOR (no resolution is older), the two-sided form FerretDB reads from the index.
 */
export function dueFollowUpsQuery(models: Models, cutoff: Date) {
  return models.FollowUpDue.find({ resolvedAt: { $gte: DATA_FLOOR, $lte: cutoff } }).limit(SWEEP_BATCH);
}

/** Records follow-ups a crash left out (resolved tickets neither asked about nor pending). Part of the nightly run. */
export async function repairFollowUps(models: Models): Promise<number> {
  const [resolved, pending] = await Promise.all([
    models.Ticket.find({ status: 'resolved' }, { resolvedAt: 1, followUp: 1, status: 1 }).lean<
      Pick<TicketDoc, '_id' | 'status' | 'resolvedAt' | 'followUp'>[]
    >(),
    models.FollowUpDue.find({}, { _id: 1 }).lean(),
  ]);
  const have = new Set(pending.map((p) => String(p._id)));
  let added = 0;
  for (const ticket of resolved) {
    if (
      !ticket.resolvedAt ||
      have.has(String(ticket._id)) ||
      ticket.followUp?.resolvedAt?.getTime() === ticket.resolvedAt.getTime()
    )
      continue;
    await recordFollowUpDue(models, ticket);
    added += 1;
  }
  return added;
}
