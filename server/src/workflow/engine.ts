import { Types } from 'mongoose';
import type { Actor } from '../modules/auth/actor';
import type { TicketDoc } from '../models/tickets';
import { ticketScopeFilter } from './access';
import { nextTicketNumber } from './numbering';
import { AppError } from '../errors';
import { withDocumentLock } from '../lib/document-lock';
import { runEffects, type WorkflowDeps } from './effects';
import {
  TRANSITIONS,
  type TicketChange,
  type Transition,
  type TransitionInput,
  type TransitionName,
} from './transitions';
import { SUBMIT, type Submission } from './submit';

export interface ChangeOptions {
  /** The person acting: the change is limited to the tickets they may see. Omitted: the system. */
  actor?: Actor;
  /**
   * The caller already holds the ticket's lock (a worker across its WeChat call) and passes the
   * ticket it read under it.
   */
  held?: { ticket: TicketDoc };
  /** The lock's TTL and wait (workers wait longer than requests). */
  lock?: { ttlMs?: number; waitMs?: number };
}

export type ChangeResult =
  | { changed: true; ticket: TicketDoc | null }
  /** Nothing changed, and why: a replay, a state that moved on, a ticket gone. */
  | { changed: false; skipped: string; ticket: TicketDoc | null; replay?: boolean };

const MAX_NUMBER_ATTEMPTS = 10;

/** The write of a change: status, fields, timeline and outbox together, the version counted. */
function updateOf(change: TicketChange, now: Date) {
  const notices = change.notices ?? [];
  const push = {
    ...(change.events.length > 0 ? { timeline: { $each: change.events } } : {}),
    ...(notices.length > 0 ? { outbox: { $each: notices } } : {}),
  };
  const set = { ...change.set, ...(notices.length > 0 ? { noticesPendingSince: now } : {}) };
  return {
    ...(Object.keys(set).length > 0 ? { $set: set } : {}),
    ...(Object.keys(push).length > 0 ? { $push: push } : {}),
    $inc: { version: 1, ...change.inc },
  };
}

/**
 * The one way a ticket changes. Under the ticket's lock (FerretDB applies an update as a read and a
 * write: see lib/document-lock), it reads the ticket if the transition needs it, computes the change,
 * writes it in one guarded update and runs the effects that must stay with it; after the lock, the
 * rest of the declared effects (statistics, queued notices and deadlines).
 * A person's change outside their scope answers 404; a guarded write that matched nothing answers the
 * transition's conflict (409) or, for the system, a skip.
 */
export async function changeTicket<Name extends TransitionName>(
  deps: WorkflowDeps,
  name: Name,
  ticketId: string | Types.ObjectId,
  input: TransitionInput<Name>,
  options: ChangeOptions = {},
): Promise<ChangeResult> {
  const transition = TRANSITIONS[name] as unknown as Transition<TransitionInput<Name>>;
  const actor = options.actor ?? null;
  if (!Types.ObjectId.isValid(ticketId)) {
    if (actor) throw new AppError('TICKET_NOT_FOUND');
    return { changed: false, skipped: 'gone', ticket: null };
  }
  const _id = new Types.ObjectId(ticketId);
  const scope = actor ? ticketScopeFilter(actor) : {};
  const byName = actor?.name ?? '系统';
  const find = () => deps.models.Ticket.findOne({ _id, ...scope }).lean<TicketDoc>();
  const missing = (): ChangeResult => {
    if (actor) throw new AppError('TICKET_NOT_FOUND');
    return { changed: false, skipped: 'gone', ticket: null };
  };

  const work = async (): Promise<ChangeResult> => {
    const reads = typeof transition.readsTicket === 'function' ? transition.readsTicket(input) : transition.readsTicket;
    const ticket = options.held?.ticket ?? (reads ? await find() : null);
    if (reads && !ticket) return missing();
    const now = new Date();
    const change = await transition.change({ ticket, input, actor, now, models: deps.models });
    if ('skip' in change) return { changed: false, skipped: change.skip, ticket, replay: change.replay === true };

    const from =
      transition.from === 'any'
        ? {}
        : { status: transition.from.length === 1 ? transition.from[0] : { $in: [...transition.from] } };
    const filter = { _id, ...scope, ...from, ...change.guard };
    const update = updateOf(change, now);
    let written: TicketDoc | null = null;
    let matched: boolean;
    if (transition.returnsTicket === false) {
      matched = (await deps.models.Ticket.updateOne(filter, update)).matchedCount > 0;
    } else {
      written = await deps.models.Ticket.findOneAndUpdate(filter, update, { new: true }).lean<TicketDoc>();
      matched = written !== null;
    }
    if (!matched) {
      if (!transition.conflict) return { changed: false, skipped: 'stale', ticket };
      const current = await find();
      if (!current) return missing();
      throw transition.conflict(current);
    }
    if (written) await runEffects(deps, transition.effects, 'locked', written, byName);
    return { changed: true, ticket: written };
  };

  const result = options.held
    ? await work()
    : await withDocumentLock(deps.redis, `ticket:${String(_id)}`, work, options.lock);
  const completes = result.changed || ('replay' in result && result.replay);
  if (completes && result.ticket) await runEffects(deps, transition.effects, 'after', result.ticket, byName);
  return result;
}

/**
 * Stores a new ticket. The unique indexes decide races: the same Idempotency-Key twice → the first
 * ticket wins (returned with created false); the same number twice (a counter behind the stored
 * tickets) → the next number is taken and the insert tried again.
 */
export async function insertTicket(
  deps: WorkflowDeps,
  submission: Submission,
  byKey: () => Promise<TicketDoc | null>,
): Promise<{ ticket: TicketDoc; created: boolean }> {
  const doc = SUBMIT.build(submission);
  for (let attempt = 1; ; attempt++) {
    try {
      const no = await nextTicketNumber(deps.models, deps.redis, submission.now, { afterCollision: attempt > 1 });
      // The document as saved is the answer: no read back.
      const saved = (await new deps.models.Ticket({ ...doc, no }).save({ timestamps: false })).toObject<TicketDoc>();
      return { ticket: saved, created: true };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      if (attempt >= MAX_NUMBER_ATTEMPTS)
        throw new AppError('SERVICE_UNAVAILABLE', { logMessage: 'no free ticket number after retries', cause: error });
      const winner = await byKey();
      if (winner) return { ticket: winner, created: false };
    }
  }
}

/**
 * What follows a submit. Also run on a replay: when the first attempt died between storing the ticket
 * and these steps, the retry completes them (each is idempotent).
 */
export async function afterSubmit(deps: WorkflowDeps, ticket: TicketDoc, created: boolean): Promise<void> {
  const effects = created ? SUBMIT.effects : SUBMIT.effects.filter((effect) => effect !== 'assignmentHint');
  await runEffects(deps, effects, 'after', ticket, ticket.contactName ?? '群众');
}
