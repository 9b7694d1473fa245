import { Types } from 'mongoose';
import type { FastifyBaseLogger } from 'fastify';
import {
  REOPEN_WINDOW_DAYS,
  TICKET_CONTENT_MIN,
  type AssignBody,
  type RatingBody,
  type ReopenBody,
  type ReplyBody,
  type ResolveBody,
  type SubmitTicketBody,
  type TicketList,
  type TicketListQuery,
  type TicketStatus,
  type ModerationBody,
} from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Actor } from '../auth/actor';
import type { FieldCipher } from '../../lib/crypto';
import type { WechatClient } from '../../wechat/client';
import { WechatApiError, WechatUnavailableError } from '../../wechat/client';
import { AppError } from '../../errors';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { DATA_CEILING, allOf, before } from '../../lib/query-bounds';
import { ticketScopeFilter } from './access';
import { noteAssignment, pickLeastLoadedMember } from './assignment';
import type { Redis } from 'ioredis';
import { nextTicketNumber } from './numbering';
import type { TicketDoc, TimelineEvent } from './model';
import { toSummary } from './views';
import { outboxEntry, recordNotices } from '../notifications/outbox';
import { visibleText } from '../../plugins/text-integrity';
import { recordOutcome } from '../outcomes/service';
import { recordFollowUpDue } from '../followups/service';

export interface TicketDeps {
  models: Models;
  redis: Redis;
  wechat: WechatClient;
  cipher: FieldCipher;
  log: FastifyBaseLogger;
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** msg_sec_check scene 3: forum-like public posts. */
const CONTENT_CHECK_SCENE = 3;
const MAX_NUMBER_ATTEMPTS = 10;

type EventInput = Omit<TimelineEvent, '_id' | 'at' | 'actor'>;

function event(actor: Actor | 'system', input: EventInput, at = new Date()): TimelineEvent {
  const who = actor === 'system' ? { role: 'system' as const, id: null, name: '系统' } : { role: actor.role, id: actor.id, name: actor.name };
  return { _id: new Types.ObjectId(), at, actor: who, ...input };
}

/** Runs WeChat's text check. WeChat unreachable → `pending` (accepted now, re-checked later), never lost. */
async function checkContent(deps: TicketDeps, openid: string, text: string): Promise<'pass' | 'review' | 'pending'> {
  try {
    const verdict = await deps.wechat.msgSecCheck({ openid, content: text, scene: CONTENT_CHECK_SCENE });
    if (verdict.suggest === 'risky') {
      throw new AppError('CONTENT_RISKY', { logMessage: `msg_sec_check risky (label ${verdict.label})` });
    }
    return verdict.suggest;
  } catch (error) {
    if (error instanceof WechatUnavailableError || error instanceof WechatApiError) {
      deps.log.warn({ reason: error.message }, 'content check unavailable; ticket accepted with check pending');
      return 'pending';
    }
    throw error;
  }
}

export async function submitTicket(
  deps: TicketDeps,
  actor: Actor,
  body: SubmitTicketBody,
  idempotencyKey: string,
): Promise<{ ticket: TicketDoc; created: boolean }> {
  const { models } = deps;
  // A replay answers with the key's ticket: one lookup on the unique (residentId, idempotencyKey) index.
  const byKey = () => models.Ticket.findOne({ residentId: actor.id, idempotencyKey }).lean<TicketDoc>();
  const replayed = await byKey();
  if (replayed) return { ticket: replayed, created: false };

  const content = body.content.trim();
  const imageIds = (body.images ?? []).map((id) => new Types.ObjectId(id));
  let checked: Awaited<ReturnType<typeof checkSubmission>>;
  try {
    checked = await checkSubmission(deps, actor, body.studioId, content, imageIds);
  } catch (error) {
    // A refusal may be a replay whose first answer was lost (its images are claimed by then, its
    // studio since retired): the key's ticket, if there is one, is the answer.
    const existing = error instanceof AppError ? await byKey() : null;
    if (existing) return { ticket: existing, created: false };
    throw error;
  }
  const { studio, contentCheck, assignee } = checked;

  const now = new Date();
  const ticketId = new Types.ObjectId();
  const submitter: Actor = { ...actor, name: body.anonymous ? '匿名群众' : body.contactName?.trim() || '群众' };
  const timeline: TimelineEvent[] = [event(submitter, { type: 'submitted' }, now)];
  if (contentCheck === 'review') timeline.push(event('system', { type: 'flagged', content: '内容待人工复核' }, now));
  timeline.push(
    assignee
      ? event('system', { type: 'assigned', toMemberId: assignee.id, toMemberName: assignee.name }, now)
      : event('system', { type: 'pending', content: '工作室暂无可接收的委员，等待管理员分配' }, now),
  );

  const doc: Omit<TicketDoc, 'createdAt' | 'updatedAt'> = {
    _id: ticketId,
    no: '',
    studioId: studio._id,
    residentId: actor.id,
    idempotencyKey,
    category: body.category,
    content,
    imageIds,
    contactPhoneEnc: body.contactPhone ? deps.cipher.encrypt(body.contactPhone) : null,
    contactName: body.contactName?.trim() || null,
    allowContact: body.allowContact ?? false,
    anonymous: body.anonymous ?? false,
    status: assignee ? 'assigned' : 'pending',
    assigneeId: assignee?.id ?? null,
    assigneeName: assignee?.name ?? null,
    assignedAt: assignee ? now : null,
    dueAt: new Date(now.getTime() + studio.slaHours * HOUR_MS),
    answeredAt: null,
    resolvedAt: null,
    outcome: null,
    rating: null,
    contentCheck,
    flagged: contentCheck === 'review',
    reopenCount: 0,
    version: 1,
    timeline,
    // The assignee hears of the ticket once members may see it: now if the check passed, else on release.
    outbox: assignee && contentCheck === 'pass' ? [outboxEntry('ticket_assigned', { kind: 'member', id: assignee.id }, now)] : [],
    noticesPendingSince: assignee && contentCheck === 'pass' ? now : null,
    remindedAt: null,
    overdueNotifiedAt: null,
    escalatedAt: null,
  };

  // The unique indexes decide races: the same Idempotency-Key twice → the first ticket wins; the same
  // number twice (a counter behind the stored tickets) → take the next number and try again.
  let saved: TicketDoc;
  for (let attempt = 1; ; attempt++) {
    try {
      doc.no = await nextTicketNumber(models, deps.redis, now, { afterCollision: attempt > 1 });
      // createdAt is the submit instant, so dueAt - createdAt is exactly the studio's deadline.
      saved = (await new models.Ticket({ ...doc, createdAt: now, updatedAt: now }).save({ timestamps: false })).toObject<TicketDoc>();
      break;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      if (attempt >= MAX_NUMBER_ATTEMPTS) throw new AppError('SERVICE_UNAVAILABLE', { logMessage: 'no free ticket number after retries', cause: error });
      const winner = await byKey();
      if (winner) return { ticket: winner, created: false };
    }
  }
  const claimImages = async () => {
    if (imageIds.length === 0) return;
    const claimed = await models.Upload.updateMany({ _id: { $in: imageIds }, ownerId: actor.id, ticketId: null }, { $set: { ticketId } });
    if (claimed.modifiedCount !== imageIds.length) deps.log.warn({ ticketId: String(ticketId) }, 'some images were claimed concurrently');
  };
  await Promise.all([assignee ? noteAssignment(deps.redis, assignee.id, now) : null, claimImages()]);
  // The document as saved: no read back.
  return { ticket: saved, created: true };
}

/**
 * What a submit must pass before anything is stored: content long enough, a studio in service, the
 * resident's own unused images, WeChat's text check; and the member it will go to. The reads are
 * independent, so they run side by side, and the assignee is chosen while WeChat judges the text.
 */
async function checkSubmission(deps: TicketDeps, actor: Actor, studioId: string, content: string, imageIds: Types.ObjectId[]) {
  const { models } = deps;
  if ([...visibleText(content)].length < TICKET_CONTENT_MIN) throw new AppError('CONTENT_TOO_SHORT');
  const studioObjectId = new Types.ObjectId(studioId);
  const [studio, usable, user] = await Promise.all([
    models.Studio.findOne({ _id: studioObjectId, active: true }, { slaHours: 1 }).lean(),
    imageIds.length > 0 ? models.Upload.countDocuments({ _id: { $in: imageIds }, ownerId: actor.id, ticketId: null }) : 0,
    models.User.findById(actor.id, { openid: 1 }).lean(),
  ]);
  if (!studio) throw new AppError('STUDIO_NOT_FOUND');
  if (usable !== imageIds.length) throw new AppError('IMAGES_INVALID', { logMessage: 'images not owned by the resident or already used' });
  if (!user) throw new AppError('UNAUTHORIZED');
  const [contentCheck, assignee] = await Promise.all([checkContent(deps, user.openid, content), pickLeastLoadedMember(models, deps.redis, studio._id)]);
  return { studio, contentCheck, assignee };
}

/** A ticket waiting for its first answer: its deadline still runs. */
export const OPEN_STATUSES = ['pending', 'assigned'] as const;
/** Statuses in which a ticket waits on its assignee (to answer, or to resolve what they answered). */
const WAITING_ON_ASSIGNEE = ['assigned', 'answered'] as const;

/**
 * The filter of a ticket list: the actor's scope, then the query's narrowing; listed newest first,
 * keyset paged by id. A member's scope is an $or (their studios, or handed to them); the narrowing
 * is repeated inside each branch so each branch is one index range already in _id order
 * ({studioId, status, _id} and {assigneeId, status, _id}) and the branches merge without a blocking
 * sort, instead of an $or under an $and that MongoDB cannot always push down.
 * Deadline ranges are bounded on both sides (DATA_FLOOR, DATA_CEILING: no stored deadline is outside
 * them), the form the embedded FerretDB reads from {status, dueAt}; "not overdue" names the open
 * statuses in its deadline branch, so that branch is an index range too (a bare `dueAt` condition
 * has no index of its own, on either backend).
 * `stranded` names the members who cannot receive (unbound or disabled), whose waiting tickets the
 * 无人接收 list shows; listTickets reads them first (none given, that list is empty).
 */
export function ticketListFilter(actor: Actor, query: TicketListQuery, now = new Date(), stranded: Types.ObjectId[] = []): Record<string, unknown> {
  const and: Record<string, unknown>[] = [];
  if (query.status) and.push({ status: query.status });
  if (query.studioId) and.push({ studioId: new Types.ObjectId(query.studioId) });
  // Status and _id lead, dueAt follows: the overdue board walks {status, _id, dueAt} newest first.
  if (query.overdue === true) and.push({ status: { $in: [...OPEN_STATUSES] }, dueAt: before(now) });
  if (query.overdue === false) and.push({ $or: [{ status: { $in: ['answered', 'resolved'] } }, { status: { $in: [...OPEN_STATUSES] }, dueAt: { $gte: now, $lt: DATA_CEILING } }] });
  if (query.assignee === 'me') and.push({ assigneeId: actor.memberId ?? new Types.ObjectId('000000000000000000000000') });
  if (query.stranded === true) and.push({ status: { $in: [...WAITING_ON_ASSIGNEE] }, assigneeId: { $in: stranded } });
  if (query.cursor) and.push({ _id: { $lt: decodeCursor(query.cursor).id } });

  const { $or: branches, ...scope } = ticketScopeFilter(actor) as { $or?: Record<string, unknown>[] } & Record<string, unknown>;
  const rest = Object.keys(scope).length ? [scope, ...and] : and;
  if (branches) return { $or: branches.map((branch) => ({ $and: [branch, ...rest] })) };
  return allOf(...rest);
}

/** The query GET /tickets runs: one page (and one more, to know whether there is a next) newest first, without timelines. */
export function ticketListQuery(models: Models, actor: Actor, query: TicketListQuery, stranded: Types.ObjectId[] = []) {
  const limit = query.limit ?? 20;
  return models.Ticket.find(ticketListFilter(actor, query, new Date(), stranded), { timeline: 0 }).sort({ _id: -1 }).limit(limit + 1);
}

/** Members who cannot receive a ticket: disabled, or never bound to a WeChat user. */
async function membersWhoCannotReceive(models: Models): Promise<Types.ObjectId[]> {
  const members = await models.Member.find({ $or: [{ active: false }, { active: true, userId: null }] }, { _id: 1 }).lean();
  return members.map((m) => m._id);
}

export async function listTickets(models: Models, actor: Actor, query: TicketListQuery): Promise<TicketList> {
  const limit = query.limit ?? 20;
  const stranded = query.stranded === true ? await membersWhoCannotReceive(models) : [];
  const tickets = await ticketListQuery(models, actor, query, stranded).lean<TicketDoc[]>();
  const page = tickets.slice(0, limit);
  const studioNames = await studioNameMap(models, page.map((t) => t.studioId));
  const last = page[page.length - 1];
  return {
    items: page.map((t) => toSummary(t, studioNames.get(String(t.studioId)) ?? '')),
    nextCursor: tickets.length > limit && last ? encodeCursor(0, last._id) : null,
  };
}

export async function studioNameMap(models: Models, ids: Types.ObjectId[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.map(String))].map((id) => new Types.ObjectId(id));
  const studios = await models.Studio.find({ _id: { $in: unique } }, { name: 1 }).lean();
  return new Map(studios.map((s) => [String(s._id), s.name]));
}

export async function getVisibleTicket(models: Models, actor: Actor, id: string): Promise<TicketDoc> {
  const ticket = await models.Ticket.findOne({ _id: new Types.ObjectId(id), ...ticketScopeFilter(actor) }).lean<TicketDoc>();
  if (!ticket) throw new AppError('TICKET_NOT_FOUND');
  return ticket;
}

/**
 * Applies one guarded atomic change: `filter` states what must hold (visibility and state), the
 * update appends the timeline event in the same write. When nothing matched, the ticket is re-read
 * to answer 404 (not visible) or the 409 that `explainConflict` picks.
 */
async function guardedUpdate(
  models: Models,
  actor: Actor,
  id: string,
  guard: Record<string, unknown>,
  update: { $set?: Record<string, unknown>; $push: { timeline: TimelineEvent } & Record<string, unknown>; $inc?: Record<string, number> },
  explainConflict: (current: TicketDoc) => AppError,
): Promise<TicketDoc> {
  const filter = { _id: new Types.ObjectId(id), ...ticketScopeFilter(actor), ...guard };
  const updated = await models.Ticket.findOneAndUpdate(filter, { ...update, $inc: { version: 1, ...(update.$inc ?? {}) } }, { new: true }).lean<TicketDoc>();
  if (updated) return updated;
  const current = await getVisibleTicket(models, actor, id);
  throw explainConflict(current);
}

const conflictFor = (status: TicketStatus): AppError =>
  status === 'resolved' ? new AppError('TICKET_RESOLVED') : new AppError('CONFLICT', { logMessage: `unexpected state ${status}` });

/**
 * A member's reply or internal note. With an Idempotency-Key, a resend (the first answer lost) finds
 * the event it already added and changes nothing: `replayed` is then true.
 */
export async function addReply(models: Models, actor: Actor, id: string, body: ReplyBody, requestKey?: string): Promise<{ ticket: TicketDoc; replayed: boolean }> {
  const content = body.content.trim();
  if (!visibleText(content)) throw new AppError('VALIDATION_FAILED', { userMessage: '回复内容不能为空' });
  // Read first only where needed: a public reply depends on the status, a keyed request on the timeline.
  const current = requestKey || !body.internal ? await getVisibleTicket(models, actor, id) : null;
  if (current && requestKey && current.timeline.some((e) => e.requestKey === requestKey && e.actor.id !== null && String(e.actor.id) === String(actor.id))) {
    return { ticket: current, replayed: true };
  }
  const keyed = requestKey ? { requestKey } : {};
  if (body.internal) {
    // Internal notes may be added in any state, even after resolution.
    const noted = await guardedUpdate(models, actor, id, {}, { $push: { timeline: event(actor, { type: 'note', content, internal: true, ...keyed }) } }, (current) => conflictFor(current.status));
    return { ticket: noted, replayed: false };
  }
  const ticket = current!;
  const now = new Date();
  const reply = event(actor, { type: 'reply', content, ...keyed }, now);
  if (ticket.status === 'pending' || ticket.status === 'assigned') {
    // The first public reply answers the ticket and tells the resident.
    const notice = recordNotices([outboxEntry('ticket_replied', { kind: 'user', id: ticket.residentId }, now)], now)!;
    const answered = await guardedUpdate(
      models,
      actor,
      id,
      { status: { $in: ['pending', 'assigned'] } },
      { $set: { status: 'answered', answeredAt: now, ...notice.set }, $push: { timeline: reply, ...notice.push } },
      (current) => conflictFor(current.status),
    );
    return { ticket: answered, replayed: false };
  }
  const added = await guardedUpdate(models, actor, id, { status: 'answered' }, { $push: { timeline: reply } }, (current) => conflictFor(current.status));
  return { ticket: added, replayed: false };
}

export async function assignTicket(models: Models, actor: Actor, id: string, body: AssignBody): Promise<TicketDoc> {
  const ticket = await getVisibleTicket(models, actor, id);
  const member = await models.Member.findOne({ _id: new Types.ObjectId(body.memberId), active: true }, { name: 1, studioIds: 1 }).lean();
  // Members transfer within the ticket's studio; admins may hand it to any active member.
  const eligible = member && (actor.role === 'admin' || member.studioIds.some((s) => s.equals(ticket.studioId)));
  if (!member || !eligible) throw new AppError('MEMBER_NOT_AVAILABLE');
  const now = new Date();
  const notice = recordNotices([outboxEntry('ticket_assigned', { kind: 'member', id: member._id }, now)], now)!;
  return guardedUpdate(
    models,
    actor,
    id,
    { status: { $in: ['pending', 'assigned', 'answered'] } },
    {
      $set: { assigneeId: member._id, assigneeName: member.name, assignedAt: now, ...notice.set, ...(ticket.status === 'pending' ? { status: 'assigned' } : {}) },
      $push: {
        timeline: event(actor, { type: actor.role === 'admin' ? 'reassigned' : 'transferred', fromMemberId: ticket.assigneeId, toMemberId: member._id, toMemberName: member.name }, now),
        ...notice.push,
      },
    },
    (current) => conflictFor(current.status),
  );
}

export async function resolveTicket(models: Models, actor: Actor, id: string, body: ResolveBody): Promise<TicketDoc> {
  const now = new Date();
  const outcome = body.outcome ?? 'none';
  const resolved = await guardedUpdate(
    models,
    actor,
    id,
    { status: 'answered' },
    {
      $set: { status: 'resolved', resolvedAt: now, outcome },
      $push: { timeline: event(actor, { type: 'resolved', outcome, ...(body.note?.trim() ? { content: body.note.trim() } : {}) }, now) },
    },
    (current) => (current.status === 'resolved' ? new AppError('TICKET_RESOLVED') : new AppError('TICKET_NOT_ANSWERED')),
  );
  // 三转: the outcome becomes its own record (idempotent; under this ticket's lock, as the caller holds it).
  await recordOutcome(models, resolved, actor.name);
  // 回头看: this resolution's follow-up is now due later (queued by the route, swept if missed).
  await recordFollowUpDue(models, resolved);
  return resolved;
}

export async function rateTicket(models: Models, actor: Actor, id: string, body: RatingBody): Promise<TicketDoc> {
  const now = new Date();
  const comment = body.comment?.trim() ?? '';
  return guardedUpdate(
    models,
    actor,
    id,
    { status: { $in: ['answered', 'resolved'] }, rating: null, contentCheck: { $ne: 'rejected' } },
    {
      $set: { rating: { score: body.score, comment, at: now } },
      $push: { timeline: event(actor, { type: 'rated', score: body.score, ...(comment ? { content: comment } : {}) }, now) },
    },
    (current) => (current.rating ? new AppError('ALREADY_RATED') : new AppError('TICKET_NOT_ANSWERED')),
  );
}

export async function reopenTicket(models: Models, actor: Actor, id: string, body: ReopenBody): Promise<TicketDoc> {
  const ticket = await getVisibleTicket(models, actor, id);
  if (ticket.contentCheck === 'rejected') {
    throw new AppError('CONFLICT', { logMessage: 'reopen of a rejected ticket', userMessage: '该留言未通过内容审核，无法重新办理，请修改后重新提交' });
  }
  const studio = await models.Studio.findById(ticket.studioId, { slaHours: 1 }).lean();
  const now = new Date();
  const slaHours = studio?.slaHours ?? 24;
  const notice = recordNotices(ticket.assigneeId ? [outboxEntry('ticket_reopened', { kind: 'member', id: ticket.assigneeId }, now)] : [], now);
  return guardedUpdate(
    models,
    actor,
    id,
    { status: 'resolved', resolvedAt: { $gte: new Date(now.getTime() - REOPEN_WINDOW_DAYS * DAY_MS) } },
    {
      $set: {
        status: ticket.assigneeId ? 'assigned' : 'pending',
        answeredAt: null,
        resolvedAt: null,
        outcome: null,
        dueAt: new Date(now.getTime() + slaHours * HOUR_MS),
        // A new deadline: its reminder, overdue and escalation notices are due again.
        remindedAt: null,
        overdueNotifiedAt: null,
        escalatedAt: null,
        ...(notice?.set ?? {}),
      },
      $inc: { reopenCount: 1 },
      $push: { timeline: event(actor, { type: 'reopened', content: body.reason.trim() }, now), ...(notice?.push ?? {}) },
    },
    (current) => (current.status === 'resolved' ? new AppError('REOPEN_WINDOW_PASSED') : new AppError('TICKET_NOT_RESOLVED')),
  );
}

/**
 * Lets members see a ticket held back by the content check (re-check passed, or an admin approved):
 * the assignee is told now. Call under the ticket's lock.
 */
export async function releaseToMembers(models: Models, ticketId: Types.ObjectId, by: Actor | 'system', note: string): Promise<TicketDoc | null> {
  const ticket = await models.Ticket.findById(ticketId).lean<TicketDoc>();
  if (!ticket || ticket.contentCheck === 'pass' || ticket.contentCheck === 'rejected') return null;
  const now = new Date();
  const notice = recordNotices(ticket.assigneeId ? [outboxEntry('ticket_assigned', { kind: 'member', id: ticket.assigneeId }, now)] : [], now);
  return models.Ticket.findOneAndUpdate(
    { _id: ticketId, contentCheck: ticket.contentCheck },
    {
      $set: { contentCheck: 'pass', flagged: false, ...(notice?.set ?? {}) },
      $push: { timeline: event(by, { type: 'moderated', content: note }, now), ...(notice?.push ?? {}) },
      $inc: { version: 1 },
    },
    { new: true },
  ).lean<TicketDoc>();
}

/** An admin's decision on a ticket held for review: approve releases it; reject closes it unseen by members. */
export async function moderateTicket(models: Models, actor: Actor, id: string, body: ModerationBody): Promise<TicketDoc> {
  const ticket = await getVisibleTicket(models, actor, id);
  if (ticket.contentCheck === 'pass' || ticket.contentCheck === 'rejected') throw new AppError('CONFLICT', { logMessage: `content already ${ticket.contentCheck}`, userMessage: '该留言已审核过' });
  const note = body.note?.trim();
  if (body.decision === 'approve') {
    const released = await releaseToMembers(models, ticket._id, actor, note ? `内容审核通过：${note}` : '内容审核通过');
    if (!released) throw new AppError('CONFLICT', { userMessage: '该留言已审核过' });
    return released;
  }
  const now = new Date();
  return guardedUpdate(
    models,
    actor,
    id,
    { contentCheck: { $in: ['review', 'pending'] } },
    {
      $set: { contentCheck: 'rejected', flagged: false, status: 'resolved', resolvedAt: now, outcome: 'none' },
      $push: { timeline: event(actor, { type: 'resolved', outcome: 'none', content: `内容未通过审核，不予受理${note ? `：${note}` : ''}` }, now) },
    },
    () => new AppError('CONFLICT', { userMessage: '该留言已审核过' }),
  );
}
