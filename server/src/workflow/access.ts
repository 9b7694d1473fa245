import { Types } from 'mongoose';
import { CONTENT_CHECK_STATES } from '@mashangshang/shared';
import type { Models } from '../models';
import type { Actor } from '../modules/auth/actor';
import type { TicketDoc } from '../models/tickets';

/** A text members do not see (yet): waiting for WeChat's check or an admin, or refused. */
const HELD_BACK = CONTENT_CHECK_STATES.filter((state) => state !== 'pass');

/**
 * The tickets an actor may see: a resident their own, a member those of their studios, an admin all.
 * Every ticket query goes through this filter, so a ticket outside it is simply "not found".
 */
export function ticketScopeFilter(actor: Actor): Record<string, unknown> {
  if (actor.role === 'admin') return {};
  // A member also sees what an admin handed them from another studio.
  // Members see a ticket only once its text passed WeChat's content check (or an admin approved it).
  if (actor.role === 'member') {
    // A branch per way of seeing a ticket, each on its own index ({studioId, …}, {assigneeId, …}); a
    // studio branch that could match nothing (no studios) is left out rather than sent as `$in: []`.
    const branches: Record<string, unknown>[] = [];
    if (actor.studioIds.length > 0) branches.push({ studioId: { $in: actor.studioIds } });
    if (actor.memberId) branches.push({ assigneeId: actor.memberId });
    // "Passed" is said as "in none of the held-back states": the same tickets (every ticket has one of
    // the four), but not a condition the embedded FerretDB reads from the {contentCheck} index, which
    // is there for the sweeper's few pending texts and would only compete with the studio and
    // assignee indexes that narrow a member's lists.
    return {
      contentCheck: { $nin: [...HELD_BACK] },
      $or: branches.length > 0 ? branches : [{ studioId: { $in: [] } }],
    };
  }
  return { residentId: actor.id };
}

/** The ticket if this actor may see it, else null (callers answer 404: never reveal existence). */
export async function findVisibleTicket(
  models: Models,
  actor: Actor,
  ticketId: string | Types.ObjectId,
): Promise<TicketDoc | null> {
  if (!Types.ObjectId.isValid(ticketId)) return null;
  return models.Ticket.findOne({ _id: new Types.ObjectId(ticketId), ...ticketScopeFilter(actor) }).lean<TicketDoc>();
}
