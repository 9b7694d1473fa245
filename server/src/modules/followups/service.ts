import { Types } from 'mongoose';
import type { FollowUpBody } from '@mashangshang/shared';
import type { Actor } from '../auth/actor';
import type { TicketDoc } from '../../models/tickets';
import { AppError } from '../../errors';
import { changeTicket, type WorkflowDeps } from '../../workflow';
import { dueFollowUpsQuery } from '../../workflow/follow-up-due';

/**
 * Asks the resident whether the matter was really settled (a timeline event and a notice). Does
 * nothing when the ticket was reopened since, or this resolution was already asked about.
 */
export async function askFollowUp(deps: WorkflowDeps, ticketId: string, resolvedAtIso: string): Promise<string> {
  const resolvedAt = new Date(resolvedAtIso);
  const result = await changeTicket(deps, 'followUpAsked', ticketId, { resolvedAt });
  // Asked, or nothing to ask for this resolution any more: it is no longer pending.
  if (Types.ObjectId.isValid(ticketId))
    await deps.models.FollowUpDue.deleteOne({ _id: new Types.ObjectId(ticketId), resolvedAt });
  if (result.changed) return 'asked';
  return result.skipped === 'gone' ? 'stale' : result.skipped;
}

/** The safety net: asks every follow-up that is due, whether or not its delayed job ran. */
export async function sweepFollowUps(deps: WorkflowDeps, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - deps.config.operations.followUp.afterSeconds * 1000);
  const due = await dueFollowUpsQuery(deps.models, cutoff).lean();
  for (const entry of due) await askFollowUp(deps, String(entry._id), entry.resolvedAt.toISOString());
  return due.length;
}

/**
 * The resident's answer. Settled: noted on the timeline. Not settled: the ticket goes back to its
 * studio as a reopen does (new deadline, the assignee told), whatever the 7-day reopen window says.
 */
export async function answerFollowUp(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
  body: FollowUpBody,
): Promise<TicketDoc> {
  const result = await changeTicket(
    deps,
    'followUpAnswered',
    id,
    { settled: body.settled, comment: body.comment?.trim() ?? '' },
    { actor },
  );
  if (!result.ticket) throw new AppError('FOLLOW_UP_NOT_ASKED');
  return result.ticket;
}
