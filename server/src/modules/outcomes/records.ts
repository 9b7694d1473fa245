import type { FastifyBaseLogger } from 'fastify';
import { OUTCOME_KIND_LABELS, type OutcomeKind } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { TicketDoc } from '../../models/tickets';

const TITLE_LENGTH = 40;

function outcomeTitle(content: string): string {
  const chars = [...content.replace(/\s+/g, ' ').trim()];
  return chars.length > TITLE_LENGTH ? `${chars.slice(0, TITLE_LENGTH).join('')}…` : chars.join('');
}

function isDuplicateKey(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === 11000 || (typeof message === 'string' && /UNIQUE constraint failed|E11000 duplicate key/.test(message))
  );
}

/**
 * Called by the resolve flow after the guarded update, under the ticket's lock: a ticket resolved
 * into one of the 三转 gets its record (once; the unique ticketId decides). Resolved again after a
 * reopen into another kind, the record follows the new kind. Never fails the resolve itself: a
 * missing record is added by the nightly repair.
 */
export async function recordOutcome(
  models: Models,
  ticket: Pick<TicketDoc, '_id' | 'no' | 'studioId' | 'content' | 'outcome' | 'status'>,
  actorName: string,
  log?: FastifyBaseLogger,
): Promise<void> {
  if (ticket.status !== 'resolved' || !ticket.outcome || ticket.outcome === 'none') return;
  const kind = ticket.outcome as OutcomeKind;
  const now = new Date();
  try {
    try {
      await models.Outcome.create({
        ticketId: ticket._id,
        ticketNo: ticket.no,
        studioId: ticket.studioId,
        kind,
        title: outcomeTitle(ticket.content),
        where: '',
        status: 'recorded',
        note: '',
        history: [{ at: now, actorName, status: 'recorded', where: '', note: '' }],
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await models.Outcome.updateOne(
        { ticketId: ticket._id, kind: { $ne: kind } },
        {
          $set: { kind },
          $push: {
            history: {
              at: now,
              actorName,
              status: 'recorded',
              where: '',
              note: `重新办结，改为${OUTCOME_KIND_LABELS[kind]}`,
            },
          },
        },
      );
    }
  } catch (error) {
    log?.warn(
      { ticketId: String(ticket._id), reason: (error as Error).message },
      'outcome record not written; the nightly repair will add it',
    );
  }
}

/** Adds the records missing for resolved tickets (a crash between the resolve and the record). */
export async function repairOutcomeRecords(models: Models): Promise<number> {
  const [tickets, records] = await Promise.all([
    models.Ticket.find(
      { status: 'resolved', outcome: { $in: ['consultation', 'proposal', 'public_opinion', 'service_project'] } },
      { no: 1, studioId: 1, content: 1, outcome: 1, status: 1 },
    ).lean(),
    models.Outcome.find({}, { ticketId: 1 }).lean(),
  ]);
  const have = new Set(records.map((r) => String(r.ticketId)));
  let added = 0;
  for (const ticket of tickets) {
    if (have.has(String(ticket._id))) continue;
    await recordOutcome(models, ticket as TicketDoc, '系统');
    added += 1;
  }
  return added;
}
