import { Types } from 'mongoose';
import type { Models } from '../../models';
import type { Actor } from '../auth/actor';
import type { TicketDoc } from './model';

/**
 * The tickets an actor may see: a resident their own, a member those of their studios, an admin all.
 * Every ticket query goes through this filter, so a ticket outside it is simply "not found".
 */
export function ticketScopeFilter(actor: Actor): Record<string, unknown> {
  if (actor.role === 'admin') return {};
  // A member also sees what an admin handed them from another studio.
  // Members see a ticket only once its text passed WeChat's content check (or an admin approved it).
  if (actor.role === 'member') {
    return { contentCheck: 'pass', $or: [{ studioId: { $in: actor.studioIds } }, ...(actor.memberId ? [{ assigneeId: actor.memberId }] : [])] };
  }
  return { residentId: actor.id };
}

/** The ticket if this actor may see it, else null (callers answer 404: never reveal existence). */
export async function findVisibleTicket(models: Models, actor: Actor, ticketId: string | Types.ObjectId): Promise<TicketDoc | null> {
  if (!Types.ObjectId.isValid(ticketId)) return null;
  return models.Ticket.findOne({ _id: new Types.ObjectId(ticketId), ...ticketScopeFilter(actor) }).lean<TicketDoc>();
}
