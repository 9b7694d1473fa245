import { Types } from 'mongoose';
import type { InfoRequestBody, InfoSupplyBody } from '@mashangshang/shared';
import type { Actor } from '../auth/actor';
import type { Models } from '../../models';
import type { TicketDoc } from '../../models/tickets';
import { AppError } from '../../errors';
import { visibleText } from '../../lib/visible-text';
import { changeTicket, type WorkflowDeps } from '../../workflow';

/**
 * 待补充: a studio asks the resident for what it needs to act (an address, a photo, a date); the
 * ticket waits with its clock paused until the resident answers, or is closed as 未补充 when the
 * waiting time (INFO_WAIT_CLOSE_AFTER_SECONDS) runs out.
 */

/** Answers the ticket a person's change wrote (these transitions always return it). */
function written(result: { ticket: TicketDoc | null }): TicketDoc {
  if (!result.ticket) throw new AppError('CONFLICT', { logMessage: 'change wrote nothing' });
  return result.ticket;
}

export async function requestInfo(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
  body: InfoRequestBody,
): Promise<TicketDoc> {
  const question = body.question.trim();
  if (visibleText(question).length < 2)
    throw new AppError('VALIDATION_FAILED', { userMessage: '请写明需要群众补充什么' });
  const waitSeconds = deps.config.operations.infoWait.closeAfterSeconds;
  return written(await changeTicket(deps, 'requestInfo', id, { question, waitSeconds }, { actor }));
}

export async function supplyInfo(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
  body: InfoSupplyBody,
): Promise<TicketDoc> {
  const content = body.content.trim();
  if (!visibleText(content)) throw new AppError('VALIDATION_FAILED', { userMessage: '补充内容不能为空' });
  return written(await changeTicket(deps, 'infoSupplied', id, { content }, { actor }));
}

/** Tickets whose wait for the resident ran out (the {status, dueAt} index narrows to the waiting ones). */
export function expiredWaitsQuery(models: Models, now: Date) {
  return models.Ticket.find({ status: 'waiting', waitingUntil: { $lte: now } }, { _id: 1 }).limit(500);
}

/** The worker's sweep: closes each ticket whose wait ran out as 未补充 (a ticket answered meanwhile is skipped). */
export async function closeExpiredWaits(deps: WorkflowDeps, now = new Date()): Promise<number> {
  const expired = await expiredWaitsQuery(deps.models, now).lean<{ _id: Types.ObjectId }[]>();
  let closed = 0;
  for (const { _id } of expired) {
    const result = await changeTicket(deps, 'infoWaitExpired', _id, {});
    if (result.changed) closed += 1;
  }
  return closed;
}
