import { Types } from 'mongoose';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import {
  TICKET_CONTENT_MIN,
  type AssignBody,
  type RatingBody,
  type ReopenBody,
  type ReplyBody,
  type ResolveBody,
  type SubmitTicketBody,
  type TicketList,
  type TicketListQuery,
  type ModerationBody,
} from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Config } from '../../config';
import type { Producers } from '../../queues';
import type { Actor } from '../auth/actor';
import type { FieldCipher } from '../../lib/crypto';
import type { WechatClient } from '../../wechat/client';
import { WechatApiError, WechatUnavailableError } from '../../wechat/client';
import { AppError } from '../../errors';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { DATA_CEILING, allOf, before } from '../../lib/query-bounds';
import {
  afterSubmit,
  changeTicket,
  DEADLINE_PROJECTION,
  deadlineFor,
  insertTicket,
  OPEN_STATUSES,
  type WorkflowDeps,
} from '../../workflow';
import { ticketScopeFilter } from '../../workflow/access';
import { pickLeastLoadedMember } from '../../workflow/assignment';
import type { TicketDoc } from '../../models/tickets';
import { toSummary } from './views';
import { visibleText } from '../../lib/visible-text';

export interface TicketDeps extends WorkflowDeps {
  models: Models;
  redis: Redis;
  queues: Producers;
  config: Config;
  wechat: WechatClient;
  cipher: FieldCipher;
  log: FastifyBaseLogger;
}

/** msg_sec_check scene 3: forum-like public posts. */
const CONTENT_CHECK_SCENE = 3;

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

/**
 * A resident's new ticket: checked, stored with its assignee, then its notices, deadlines and
 * statistics. The same Idempotency-Key again answers the first ticket (created false).
 */
export async function submitTicket(
  deps: TicketDeps,
  actor: Actor,
  body: SubmitTicketBody,
  idempotencyKey: string,
): Promise<{ ticket: TicketDoc; created: boolean }> {
  const { ticket, created } = await storeSubmission(deps, actor, body, idempotencyKey);
  await afterSubmit(deps, ticket, created);
  if (created) await claimImages(deps, actor, ticket);
  return { ticket, created };
}

async function storeSubmission(deps: TicketDeps, actor: Actor, body: SubmitTicketBody, idempotencyKey: string) {
  // A replay answers with the key's ticket: one lookup on the unique (residentId, idempotencyKey) index.
  const byKey = () => deps.models.Ticket.findOne({ residentId: actor.id, idempotencyKey }).lean<TicketDoc>();
  const replayed = await byKey();
  if (replayed) return { ticket: replayed, created: false };

  const content = body.content.trim();
  const imageIds = (body.images ?? []).map((id) => new Types.ObjectId(id));
  // The submit instant: createdAt, and where the deadline counts from.
  const now = new Date();
  let checked: Awaited<ReturnType<typeof checkSubmission>>;
  try {
    checked = await checkSubmission(deps, actor, body.studioId, content, imageIds, now);
  } catch (error) {
    // A refusal may be a replay whose first answer was lost (its images are claimed by then, its
    // studio since retired): the key's ticket, if there is one, is the answer.
    const existing = error instanceof AppError ? await byKey() : null;
    if (existing) return { ticket: existing, created: false };
    throw error;
  }
  const contactName = body.contactName?.trim() || null;
  const fields = {
    category: body.category,
    content,
    imageIds,
    contactPhoneEnc: body.contactPhone ? deps.cipher.encrypt(body.contactPhone) : null,
    contactName,
    allowContact: body.allowContact ?? false,
    anonymous: body.anonymous ?? false,
  };
  return insertTicket(deps, { actor, idempotencyKey, fields, ...checked, now }, byKey);
}

/** The resident's uploads become the ticket's images. */
async function claimImages(deps: TicketDeps, actor: Actor, ticket: TicketDoc) {
  if (ticket.imageIds.length === 0) return;
  const claimed = await deps.models.Upload.updateMany(
    { _id: { $in: ticket.imageIds }, ownerId: actor.id, ticketId: null },
    { $set: { ticketId: ticket._id } },
  );
  if (claimed.modifiedCount !== ticket.imageIds.length)
    deps.log.warn({ ticketId: String(ticket._id) }, 'some images were claimed concurrently');
}

/**
 * What a submit must pass before anything is stored: content long enough, a studio in service, the
 * resident's own unused images, WeChat's text check; and the member it will go to. The reads are
 * independent, so they run side by side, and the assignee is chosen while WeChat judges the text.
 */
async function checkSubmission(
  deps: TicketDeps,
  actor: Actor,
  studioId: string,
  content: string,
  imageIds: Types.ObjectId[],
  now: Date,
) {
  const { models } = deps;
  if ([...visibleText(content)].length < TICKET_CONTENT_MIN) throw new AppError('CONTENT_TOO_SHORT');
  const studioObjectId = new Types.ObjectId(studioId);
  const [studio, usable, user] = await Promise.all([
    models.Studio.findOne({ _id: studioObjectId, active: true }, DEADLINE_PROJECTION).lean(),
    imageIds.length > 0
      ? models.Upload.countDocuments({ _id: { $in: imageIds }, ownerId: actor.id, ticketId: null })
      : 0,
    models.User.findById(actor.id, { openid: 1 }).lean(),
  ]);
  if (!studio) throw new AppError('STUDIO_NOT_FOUND');
  if (usable !== imageIds.length)
    throw new AppError('IMAGES_INVALID', { logMessage: 'images not owned by the resident or already used' });
  if (!user) throw new AppError('UNAUTHORIZED');
  const [contentCheck, assignee, dueAt] = await Promise.all([
    checkContent(deps, user.openid, content),
    pickLeastLoadedMember(models, deps.redis, studio._id),
    deadlineFor(models, studio, now),
  ]);
  return { studioId: studio._id, dueAt, contentCheck, assignee };
}

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
export function ticketListFilter(
  actor: Actor,
  query: TicketListQuery,
  now = new Date(),
  stranded: Types.ObjectId[] = [],
): Record<string, unknown> {
  const and: Record<string, unknown>[] = [];
  if (query.status) and.push({ status: query.status });
  if (query.studioId) and.push({ studioId: new Types.ObjectId(query.studioId) });
  // Status and _id lead, dueAt follows: the overdue board walks {status, _id, dueAt} newest first.
  if (query.overdue === true) and.push({ status: { $in: [...OPEN_STATUSES] }, dueAt: before(now) });
  if (query.overdue === false)
    and.push({
      $or: [
        { status: { $in: ['answered', 'waiting', 'resolved'] } },
        { status: { $in: [...OPEN_STATUSES] }, dueAt: { $gte: now, $lt: DATA_CEILING } },
      ],
    });
  if (query.assignee === 'me')
    and.push({ assigneeId: actor.memberId ?? new Types.ObjectId('000000000000000000000000') });
  if (query.stranded === true) and.push({ status: { $in: [...WAITING_ON_ASSIGNEE] }, assigneeId: { $in: stranded } });
  if (query.cursor) and.push({ _id: { $lt: decodeCursor(query.cursor).id } });

  const { $or: branches, ...scope } = ticketScopeFilter(actor) as { $or?: Record<string, unknown>[] } & Record<
    string,
    unknown
  >;
  const rest = Object.keys(scope).length ? [scope, ...and] : and;
  if (branches) return { $or: branches.map((branch) => ({ $and: [branch, ...rest] })) };
  return allOf(...rest);
}

/** The query GET /tickets runs: one page (and one more, to know whether there is a next) newest first, without timelines. */
export function ticketListQuery(models: Models, actor: Actor, query: TicketListQuery, stranded: Types.ObjectId[] = []) {
  const limit = query.limit ?? 20;
  return models.Ticket.find(ticketListFilter(actor, query, new Date(), stranded), { timeline: 0 })
    .sort({ _id: -1 })
    .limit(limit + 1);
}

/** Members who cannot receive a ticket: disabled, or never bound to a WeChat user. */
async function membersWhoCannotReceive(models: Models): Promise<Types.ObjectId[]> {
  const members = await models.Member.find(
    { $or: [{ active: false }, { active: true, userId: null }] },
    { _id: 1 },
  ).lean();
  return members.map((m) => m._id);
}

export async function listTickets(models: Models, actor: Actor, query: TicketListQuery): Promise<TicketList> {
  const limit = query.limit ?? 20;
  const stranded = query.stranded === true ? await membersWhoCannotReceive(models) : [];
  const tickets = await ticketListQuery(models, actor, query, stranded).lean<TicketDoc[]>();
  const page = tickets.slice(0, limit);
  const studioNames = await studioNameMap(
    models,
    page.map((t) => t.studioId),
  );
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
  const ticket = await models.Ticket.findOne({
    _id: new Types.ObjectId(id),
    ...ticketScopeFilter(actor),
  }).lean<TicketDoc>();
  if (!ticket) throw new AppError('TICKET_NOT_FOUND');
  return ticket;
}

/**
 * A member's reply or internal note. With an Idempotency-Key, a resend (the first answer lost) finds
 * the event it already added and changes nothing: `replayed` is then true.
 */
export async function addReply(
  deps: TicketDeps,
  actor: Actor,
  id: string,
  body: ReplyBody,
  requestKey?: string,
): Promise<{ ticket: TicketDoc; replayed: boolean }> {
  const content = body.content.trim();
  if (!visibleText(content)) throw new AppError('VALIDATION_FAILED', { userMessage: '回复内容不能为空' });
  const input = { content, ...(requestKey ? { requestKey } : {}) };
  const result = await changeTicket(deps, body.internal ? 'note' : 'reply', id, input, { actor });
  return { ticket: result.ticket ?? (await getVisibleTicket(deps.models, actor, id)), replayed: !result.changed };
}

/** Answers the ticket a person's change wrote (their transitions always return it). */
async function written(change: Promise<{ ticket: TicketDoc | null }>): Promise<TicketDoc> {
  const { ticket } = await change;
  if (!ticket) throw new AppError('CONFLICT', { logMessage: 'change wrote nothing' });
  return ticket;
}

export const assignTicket = (deps: TicketDeps, actor: Actor, id: string, body: AssignBody) =>
  written(changeTicket(deps, 'assign', id, { memberId: body.memberId }, { actor }));

export const resolveTicket = (deps: TicketDeps, actor: Actor, id: string, body: ResolveBody) =>
  written(
    changeTicket(
      deps,
      'resolve',
      id,
      { outcome: body.outcome ?? 'none', ...(body.note?.trim() ? { note: body.note.trim() } : {}) },
      { actor },
    ),
  );

export const rateTicket = (deps: TicketDeps, actor: Actor, id: string, body: RatingBody) =>
  written(changeTicket(deps, 'rate', id, { score: body.score, comment: body.comment?.trim() ?? '' }, { actor }));

export const reopenTicket = (deps: TicketDeps, actor: Actor, id: string, body: ReopenBody) =>
  written(changeTicket(deps, 'reopen', id, { reason: body.reason.trim() }, { actor }));

/** An admin's decision on a ticket held for review: approve releases it; reject closes it unseen by members. */
export async function moderateTicket(
  deps: TicketDeps,
  actor: Actor,
  id: string,
  body: ModerationBody,
): Promise<TicketDoc> {
  const note = body.note?.trim();
  const result = await changeTicket(
    deps,
    'moderate',
    id,
    { decision: body.decision, ...(note ? { note } : {}) },
    { actor },
  );
  if (!result.changed || !result.ticket) throw new AppError('CONFLICT', { userMessage: '该留言已审核过' });
  return result.ticket;
}
