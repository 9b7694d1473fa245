import { Types } from 'mongoose';
import type { MarkReadBody, NotificationList, NotificationListQuery, NotificationView } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Actor } from '../auth/actor';
import { AppError } from '../../errors';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import type { NotificationDoc } from '../../models/notifications';

/** The notices addressed to this actor: their user, their member record, or (admins) the office. */
function recipientFilter(actor: Actor): Record<string, unknown> {
  if (actor.role === 'admin') return { 'recipient.kind': 'admins' };
  const mine: Record<string, unknown>[] = [{ 'recipient.kind': 'user', 'recipient.id': actor.id }];
  if (actor.memberId) mine.push({ 'recipient.kind': 'member', 'recipient.id': actor.memberId });
  return { $or: mine };
}

function toView(n: NotificationDoc): NotificationView {
  return {
    id: String(n._id),
    kind: n.kind,
    title: n.title,
    body: n.body,
    ticketId: String(n.ticketId),
    ticketNo: n.ticketNo,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt ? n.readAt.toISOString() : null,
  };
}

/**
 * The actor's notices narrowed by `narrowing`, with the narrowing repeated in each recipient branch
 * (a member's notices are addressed to their user or to their member record): each branch is then
 * one range of {recipient.kind, recipient.id, _id}, in _id order, on MongoDB and FerretDB alike.
 */
function recipientBranches(actor: Actor, narrowing: Record<string, unknown>): Record<string, unknown> {
  const base = recipientFilter(actor);
  const branches = (base.$or as Record<string, unknown>[] | undefined) ?? [base];
  const each = branches.map((branch) => ({ ...branch, ...narrowing }));
  return each.length === 1 ? each[0]! : { $or: each };
}

/** The actor's unread notices: the badge's count, and what "mark all read" changes. */
export function unreadNoticesFilter(actor: Actor): Record<string, unknown> {
  return recipientBranches(actor, { readAt: null });
}

/** The page GET /me/notifications reads: the actor's notices (unread only, if asked) newest first, one more than a page. */
export function notificationListQuery(models: Models, actor: Actor, query: NotificationListQuery) {
  const limit = query.limit ?? 20;
  const narrowing: Record<string, unknown> = {};
  if (query.unread) narrowing.readAt = null;
  if (query.cursor) narrowing._id = { $lt: decodeCursor(query.cursor).id };
  return models.Notification.find(recipientBranches(actor, narrowing))
    .sort({ _id: -1 })
    .limit(limit + 1);
}

export async function listNotifications(
  models: Models,
  actor: Actor,
  query: NotificationListQuery,
): Promise<NotificationList> {
  const limit = query.limit ?? 20;
  const [rows, unreadCount] = await Promise.all([
    notificationListQuery(models, actor, query).lean<NotificationDoc[]>(),
    models.Notification.countDocuments(unreadNoticesFilter(actor)),
  ]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toView),
    nextCursor: rows.length > limit && last ? encodeCursor(0, last._id) : null,
    unreadCount,
  };
}

/** What POST /me/notifications/read marks: every unread notice of the actor, or those of `ids`. */
export function markReadFilter(actor: Actor, body: MarkReadBody): Record<string, unknown> {
  if (!body.all && !body.ids?.length)
    throw new AppError('VALIDATION_FAILED', { userMessage: '请选择要标记为已读的消息' });
  return body.all
    ? unreadNoticesFilter(actor)
    : recipientBranches(actor, { readAt: null, _id: { $in: body.ids!.map((id) => new Types.ObjectId(id)) } });
}

export async function markRead(models: Models, actor: Actor, body: MarkReadBody): Promise<{ unreadCount: number }> {
  await models.Notification.updateMany(markReadFilter(actor, body), { $set: { readAt: new Date() } });
  return { unreadCount: await models.Notification.countDocuments(unreadNoticesFilter(actor)) };
}

/** The admins' list of notices WeChat never took, newest first (the {wechat.state, _id} index). */
export function failedNoticesQuery(models: Models, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 20;
  const filter: Record<string, unknown> = { 'wechat.state': 'failed' };
  if (query.cursor) filter._id = { $lt: decodeCursor(query.cursor).id };
  return models.Notification.find(filter)
    .sort({ _id: -1 })
    .limit(limit + 1);
}

export async function listFailedNotices(models: Models, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 20;
  const rows = await failedNoticesQuery(models, query).lean<NotificationDoc[]>();
  const page = rows.slice(0, limit);
  const memberIds = page.filter((n) => n.recipient.kind === 'member').map((n) => n.recipient.id as Types.ObjectId);
  const members = new Map(
    (await models.Member.find({ _id: { $in: memberIds } }, { name: 1 }).lean()).map((m) => [String(m._id), m.name]),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((n) => ({
      id: String(n._id),
      kind: n.kind,
      ticketId: String(n.ticketId),
      ticketNo: n.ticketNo,
      recipient:
        n.recipient.kind === 'member'
          ? `委员${members.get(String(n.recipient.id)) ?? ''}`
          : n.recipient.kind === 'admins'
            ? '管理员'
            : '群众',
      attempts: n.wechat.attempts,
      lastError: n.wechat.lastError,
      createdAt: n.createdAt.toISOString(),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(0, last._id) : null,
  };
}

/** Puts a failed notice back to pending; the caller queues it. */
export async function resetFailedNotice(models: Models, id: string): Promise<NotificationDoc> {
  const updated = await models.Notification.findOneAndUpdate(
    { _id: new Types.ObjectId(id), 'wechat.state': 'failed' },
    { $set: { 'wechat.state': 'pending', 'wechat.attempts': 0 } },
    { new: true },
  ).lean<NotificationDoc>();
  if (!updated) throw new AppError('NOT_FOUND', { logMessage: 'no failed notice with that id' });
  return updated;
}
