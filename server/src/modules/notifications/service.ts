import { Types } from 'mongoose';
import type { MarkReadBody, NotificationList, NotificationListQuery, NotificationView } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Actor } from '../auth/actor';
import { AppError } from '../../errors';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import type { NotificationDoc } from './model';

/** The notices addressed to this actor: their user, their member record, or (admins) the office. */
export function recipientFilter(actor: Actor): Record<string, unknown> {
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

export async function listNotifications(models: Models, actor: Actor, query: NotificationListQuery): Promise<NotificationList> {
  const limit = query.limit ?? 20;
  const base = recipientFilter(actor);
  const and: Record<string, unknown>[] = [base];
  if (query.unread) and.push({ readAt: null });
  if (query.cursor) and.push({ _id: { $lt: decodeCursor(query.cursor).id } });
  const [rows, unreadCount] = await Promise.all([
    models.Notification.find({ $and: and }).sort({ _id: -1 }).limit(limit + 1).lean<NotificationDoc[]>(),
    models.Notification.countDocuments({ $and: [base, { readAt: null }] }),
  ]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toView), nextCursor: rows.length > limit && last ? encodeCursor(0, last._id) : null, unreadCount };
}

export async function markRead(models: Models, actor: Actor, body: MarkReadBody): Promise<{ unreadCount: number }> {
  const base = recipientFilter(actor);
  if (!body.all && !body.ids?.length) throw new AppError('VALIDATION_FAILED', { userMessage: '请选择要标记为已读的消息' });
  const filter = body.all ? { $and: [base, { readAt: null }] } : { $and: [base, { readAt: null }, { _id: { $in: body.ids!.map((id) => new Types.ObjectId(id)) } }] };
  await models.Notification.updateMany(filter, { $set: { readAt: new Date() } });
  return { unreadCount: await models.Notification.countDocuments({ $and: [base, { readAt: null }] }) };
}

export async function listFailedNotices(models: Models, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 20;
  const filter: Record<string, unknown> = { 'wechat.state': 'failed' };
  if (query.cursor) filter._id = { $lt: decodeCursor(query.cursor).id };
  const rows = await models.Notification.find(filter).sort({ _id: -1 }).limit(limit + 1).lean<NotificationDoc[]>();
  const page = rows.slice(0, limit);
  const memberIds = page.filter((n) => n.recipient.kind === 'member').map((n) => n.recipient.id as Types.ObjectId);
  const members = new Map((await models.Member.find({ _id: { $in: memberIds } }, { name: 1 }).lean()).map((m) => [String(m._id), m.name]));
  const last = page[page.length - 1];
  return {
    items: page.map((n) => ({
      id: String(n._id),
      kind: n.kind,
      ticketId: String(n.ticketId),
      ticketNo: n.ticketNo,
      recipient: n.recipient.kind === 'member' ? `委员${members.get(String(n.recipient.id)) ?? ''}` : n.recipient.kind === 'admins' ? '管理员' : '群众',
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
