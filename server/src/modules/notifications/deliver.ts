import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { UnrecoverableError } from 'bullmq';
import type { Models } from '../../models';
import type { Config } from '../../config';
import type { Producers, NotifyJob, DeadlineJob } from '../../queues';
import { WechatApiError, type WechatClient } from '../../wechat/client';
import { withDocumentLock } from '../../lib/document-lock';
import type { OutboxEntry, TicketDoc } from '../../models/tickets';
import { inAppText, noticePage, subscribeData, type NoticeFacts } from './templates';
import { takeConsent } from './consents';
import { changeTicket } from '../../workflow';
import type { NotificationDoc } from '../../models/notifications';

export interface WorkerDeps {
  models: Models;
  redis: Redis;
  wechat: WechatClient;
  queues: Producers;
  config: Config;
  log: FastifyBaseLogger;
}

/**
 * The worker holds a ticket's lock across its WeChat calls; the lock is kept alive while it works
 * (see document-lock), so the TTL only decides how soon a crashed worker's tickets free up.
 */
const WORKER_LOCK = { ttlMs: 10_000, waitMs: 15_000 };
/** WeChat: the user has not consented to this template (or used the consent up). */
const NO_CONSENT_ERRCODE = 43101;

async function factsFor(models: Models, ticket: TicketDoc): Promise<NoticeFacts> {
  const studio = await models.Studio.findById(ticket.studioId, { name: 1 }).lean();
  const lastReply = [...ticket.timeline].reverse().find((e) => e.type === 'reply');
  const lastReopen = [...ticket.timeline].reverse().find((e) => e.type === 'reopened');
  const lastOf = (type: 'info_requested' | 'info_supplied') =>
    [...ticket.timeline].reverse().find((e) => e.type === type)?.content ?? '';
  return {
    ticketNo: ticket.no,
    studioName: studio?.name ?? '委员工作室',
    excerpt: lastReply?.content ?? ticket.content,
    actorName: lastReply?.actor.name ?? '委员',
    at: new Date(),
    dueAt: ticket.dueAt,
    reason: lastReopen?.content ?? '',
    infoQuestion: lastOf('info_requested'),
    infoSupplied: lastOf('info_supplied'),
  };
}

/** What one delivery reads at most once, however many steps need it: the notice's facts and the member it goes to. */
interface DeliveryReads {
  facts(): Promise<NoticeFacts>;
  member(): Promise<{ userId?: Types.ObjectId | null; name: string } | null>;
}

function deliveryReads(models: Models, ticket: TicketDoc, entry: OutboxEntry): DeliveryReads {
  // Promises, not mongoose queries: a query awaited twice runs twice (and mongoose refuses that).
  let facts: Promise<NoticeFacts> | undefined;
  let member: ReturnType<DeliveryReads['member']> | undefined;
  return {
    facts: () => (facts ??= factsFor(models, ticket)),
    member: () =>
      (member ??=
        entry.recipient.kind === 'member'
          ? models.Member.findById(entry.recipient.id, { userId: 1, name: 1 }).lean().exec()
          : Promise.resolve(null)),
  };
}

/** The openid a notice can be sent to over WeChat, or null (admins; members not yet bound). */
async function wechatTarget(
  models: Models,
  entry: OutboxEntry,
  reads: DeliveryReads,
): Promise<{ userId: Types.ObjectId; openid: string } | null> {
  let userId: Types.ObjectId | null = null;
  if (entry.recipient.kind === 'user') userId = entry.recipient.id;
  if (entry.recipient.kind === 'member') userId = (await reads.member())?.userId ?? null;
  if (!userId) return null;
  const user = await models.User.findById(userId, { openid: 1 }).lean();
  return user ? { userId, openid: user.openid } : null;
}

function recipientLabel(entry: OutboxEntry, memberName: string | null): string {
  if (entry.recipient.kind === 'admins') return '管理员';
  if (entry.recipient.kind === 'member') return `委员${memberName ?? ''}`;
  return '群众';
}

/**
 * Delivers one notice: the in-app copy first (so the person always has it), then WeChat if they
 * consented. Runs under the ticket's lock and re-reads state, so a retried or stalled job never
 * sends twice — except in one window: WeChat accepted the send and the process died before
 * `wechat.state = sent` was written; the retry then sends again (measured in the fault tests).
 */
export async function deliverNotice(
  deps: WorkerDeps,
  job: NotifyJob,
  attempt: { made: number; max: number },
): Promise<string> {
  const { models } = deps;
  const ticketId = new Types.ObjectId(job.ticketId);
  const noticeId = new Types.ObjectId(job.noticeId);
  return withDocumentLock(
    deps.redis,
    `ticket:${job.ticketId}`,
    async () => {
      const ticket = await models.Ticket.findById(ticketId).lean<TicketDoc>();
      const entry = ticket?.outbox?.find((e) => e._id.equals(noticeId));
      if (!ticket || !entry) return 'gone';

      const reads = deliveryReads(models, ticket, entry);
      let notification = await models.Notification.findById(noticeId).lean<NotificationDoc>();
      if (!notification) {
        try {
          // The in-app copy as created is the state to go on with: no read back.
          notification = (
            await models.Notification.create({
              _id: noticeId,
              recipient: entry.recipient,
              kind: entry.kind,
              ticketId,
              ticketNo: ticket.no,
              ...inAppText(entry.kind, await reads.facts()),
              readAt: null,
              wechat: {
                state: entry.recipient.kind === 'admins' ? 'not_applicable' : 'pending',
                creditTaken: false,
                attempts: 0,
                lastError: '',
                sentAt: null,
              },
              createdAt: entry.createdAt,
            })
          ).toObject<NotificationDoc>();
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
          // Another delivery of the same notice created it first: go on with its state.
          notification = await models.Notification.findById(noticeId).lean<NotificationDoc>();
        }
      }
      if (!notification) throw new Error('notification vanished');

      let outcome: string = notification.wechat.state;
      if (notification.wechat.state === 'pending')
        outcome = await sendOverWechat(deps, ticket, entry, notification, attempt, reads);
      if (!entry.doneAt) await markDone(deps, ticket, entry, outcome, reads);
      return outcome;
    },
    WORKER_LOCK,
  );
}

async function sendOverWechat(
  deps: WorkerDeps,
  ticket: TicketDoc,
  entry: OutboxEntry,
  notification: NotificationDoc,
  attempt: { made: number; max: number },
  reads: DeliveryReads,
): Promise<string> {
  const { models } = deps;
  const setWechat = (fields: Partial<NotificationDoc['wechat']>) =>
    models.Notification.updateOne(
      { _id: notification._id },
      { $set: Object.fromEntries(Object.entries(fields).map(([k, v]) => [`wechat.${k}`, v])) },
    );

  const target = await wechatTarget(models, entry, reads);
  if (!target) {
    await setWechat({ state: 'not_applicable' });
    return 'not_applicable';
  }
  if (!notification.wechat.creditTaken) {
    // Mark first, then spend: a crash in between costs at most one send WeChat may refuse (43101),
    // never a second consent spent on the same notice.
    await setWechat({ creditTaken: true });
    if (
      !(await takeConsent(models, deps.redis, target.userId, entry.kind, deps.config.notifications.longTermTemplates))
    ) {
      await setWechat({ state: 'no_consent' });
      return 'no_consent';
    }
  }
  const facts = await reads.facts();
  try {
    await deps.wechat.sendSubscribeMessage({
      touser: target.openid,
      templateId: deps.config.notifications.templateIds[entry.kind],
      page: noticePage(entry.kind, String(ticket._id)),
      data: subscribeData(entry.kind, facts),
    });
  } catch (error) {
    if (error instanceof WechatApiError && error.errcode === NO_CONSENT_ERRCODE) {
      await setWechat({ state: 'no_consent', lastError: `errcode ${error.errcode}` });
      return 'no_consent';
    }
    const reason = error instanceof Error ? error.message : String(error);
    const last = attempt.made + 1 >= attempt.max;
    await setWechat({
      attempts: attempt.made + 1,
      lastError: reason.slice(0, 200),
      ...(last ? { state: 'failed' as const } : {}),
    });
    if (last) {
      deps.log.warn(
        { noticeId: String(notification._id), reason },
        'notice failed after all attempts; in-app copy kept',
      );
      return 'failed';
    }
    throw error; // BullMQ retries with exponential backoff
  }
  await setWechat({ state: 'sent', sentAt: new Date(), lastError: '' });
  return 'sent';
}

/** The notice is done: the outbox entry closed and the timeline told (the caller holds the lock). */
async function markDone(
  deps: WorkerDeps,
  ticket: TicketDoc,
  entry: OutboxEntry,
  outcome: string,
  reads: DeliveryReads,
): Promise<void> {
  const who = recipientLabel(entry, (await reads.member())?.name ?? null);
  const failed = outcome === 'failed';
  const channel = outcome === 'sent' ? '微信订阅消息与站内消息' : '站内消息';
  const text = failed ? `通知${who}的微信消息发送失败，已保留站内消息` : `已通过${channel}通知${who}`;
  await changeTicket(deps, 'noticeDelivered', ticket._id, { noticeId: entry._id, text, failed }, { held: { ticket } });
}

/**
 * A deadline stage fired: if the ticket still waits for an answer with the same deadline and this
 * stage was not notified yet, its notices are recorded (see the deadlineStage transition).
 */
export async function handleDeadline(deps: WorkerDeps, job: DeadlineJob): Promise<string> {
  const result = await changeTicket(
    deps,
    'deadlineStage',
    job.ticketId,
    { stage: job.stage, dueAt: job.dueAt },
    { lock: WORKER_LOCK },
  );
  if (!result.changed && result.skipped === 'gone') throw new UnrecoverableError('ticket not found');
  return result.changed ? 'notified' : result.skipped;
}
