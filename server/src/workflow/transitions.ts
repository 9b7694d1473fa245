import { Types } from 'mongoose';
import { DEFAULT_SLA_HOURS, REOPEN_WINDOW_DAYS, type TicketOutcome, type TicketStatus } from '@mashangshang/shared';
import type { Models } from '../models';
import type { Actor } from '../modules/auth/actor';
import type { FollowUpRecord, OutboxEntry, TicketDoc, TimelineEvent } from '../models/tickets';
import type { DeadlineStage } from '../queues';
import { AppError } from '../errors';
import { SYSTEM, notice, timelineEvent, type EventActor } from './events';
import type { Effect } from './effects';
import { DEADLINE_PROJECTION, deadlineFor, resumedDeadline } from './deadline';

/**
 * The life of a ticket, in one table. Each transition names the states it may start from, the change
 * it makes (fields, timeline events, notices: one guarded write) and the effects that follow the
 * write. `engine.ts` runs them; nothing else writes a ticket (see the lint rule in eslint.config.mjs).
 */

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** Open: waiting for a first answer, its deadline running. */
export const OPEN_STATUSES = ['pending', 'assigned'] as const;
/** Any state before resolution in which the studio acts (not while it waits on the resident). */
const UNRESOLVED = ['pending', 'assigned', 'answered'] as const;

/** Time since submit that counts against the studio: paused time (待补充) left out. */
const workingMs = (ticket: TicketDoc, now: Date, pausedMs = ticket.pausedMs ?? 0) =>
  Math.max(0, now.getTime() - ticket.createdAt.getTime() - pausedMs);

/** Not waiting on the resident any more (an answer, or closed for want of one). */
const NOT_WAITING = { waitingSince: null, waitingUntil: null, waitingFrom: null, waitingQuestion: null } as const;

/** One write: the fields it sets or increments, the events it appends, the notices it records. */
export interface TicketChange {
  set?: Record<string, unknown>;
  inc?: Record<string, number>;
  events: TimelineEvent[];
  notices?: OutboxEntry[];
  /** What must still hold when the write lands, besides the transition's `from` (a guarded update). */
  guard?: Record<string, unknown>;
}

/** Nothing to change (a replay, or the state moved on): the reason, for the caller and the job's result. */
export interface Skip {
  skip: string;
  /**
   * A resend of a change already made: its effects run again (each is idempotent), so a first attempt
   * that died between its write and its effects is completed by the retry.
   */
  replay?: true;
}

interface TransitionContext<Input> {
  /** The ticket as read under its lock (transitions that read it), else null. */
  ticket: TicketDoc | null;
  input: Input;
  /** The person acting, or null for the system (workers, sweepers). */
  actor: Actor | null;
  now: Date;
  models: Models;
}

export interface Transition<Input> {
  /** The statuses it may start from: part of the write's guard. 'any': the status does not matter. */
  from: readonly TicketStatus[] | 'any';
  /** Whether the change depends on the current document (read first, under the lock). */
  readsTicket: boolean | ((input: Input) => boolean);
  change(context: TransitionContext<Input>): TicketChange | Skip | Promise<TicketChange | Skip>;
  /** The refusal when the guarded write matched nothing, given the ticket as it is now; none: a Skip. */
  conflict?: (current: TicketDoc) => AppError;
  effects: readonly Effect[];
  /** Whether the caller needs the ticket as written (else a plain update: a worker's bookkeeping). */
  returnsTicket?: boolean;
}

const define = <Input>(transition: Transition<Input>): Transition<Input> => transition;

/** Who an event names: the acting person, the system, or the resident under the name their ticket shows. */
const who = (actor: Actor | null): EventActor =>
  actor ? { role: actor.role, id: actor.id, name: actor.name } : SYSTEM;
const residentAs = (actor: Actor, ticket: TicketDoc): EventActor => ({
  role: actor.role,
  id: actor.id,
  name: ticket.anonymous ? '匿名群众' : (ticket.contactName ?? '群众'),
});

const conflictFor = (status: TicketStatus): AppError =>
  status === 'resolved'
    ? new AppError('TICKET_RESOLVED')
    : status === 'waiting'
      ? new AppError('TICKET_WAITING')
      : new AppError('CONFLICT', { logMessage: `unexpected state ${status}` });

/** A deadline starting now: its reminder, overdue and escalation notices are due again. */
export function freshDeadline(dueAt: Date) {
  return {
    dueAt,
    remindedAt: null,
    overdueNotifiedAt: null,
    escalatedAt: null,
  };
}

/** Back to the studio (a reopen, or a follow-up answered "not settled"): a new deadline, the assignee told. */
async function reopening(models: Models, ticket: TicketDoc, now: Date) {
  const studio = await models.Studio.findById(ticket.studioId, DEADLINE_PROJECTION).lean();
  return {
    set: {
      status: ticket.assigneeId ? 'assigned' : 'pending',
      answeredAt: null,
      resolvedAt: null,
      outcome: null,
      resolveMs: null,
      closure: null,
      ...freshDeadline(await deadlineFor(models, studio ?? { slaHours: DEFAULT_SLA_HOURS }, now)),
    },
    inc: { reopenCount: 1 },
    notices: ticket.assigneeId ? [notice('ticket_reopened', { kind: 'member', id: ticket.assigneeId }, now)] : [],
  };
}

/** Members may see a ticket held back by the content check: the assignee is told now. */
function release(ticket: TicketDoc, by: EventActor, note: string, now: Date): TicketChange | Skip {
  if (ticket.contentCheck === 'pass' || ticket.contentCheck === 'rejected') return { skip: 'already-moderated' };
  return {
    guard: { contentCheck: ticket.contentCheck },
    set: { contentCheck: 'pass', flagged: false },
    events: [timelineEvent(by, 'moderated', { content: note }, now)],
    notices: ticket.assigneeId ? [notice('ticket_assigned', { kind: 'member', id: ticket.assigneeId }, now)] : [],
  };
}

/** Whether an event is the actor's own earlier request with this Idempotency-Key (a resend). */
const alreadyDone = (ticket: TicketDoc, actor: Actor | null, requestKey?: string) =>
  Boolean(
    requestKey &&
    actor &&
    ticket.timeline.some((e) => e.requestKey === requestKey && e.actor.id !== null && e.actor.id.equals(actor.id)),
  );

export const TRANSITIONS = {
  /** A member's public reply; the first answers the ticket and tells the resident. */
  reply: define<{ content: string; requestKey?: string }>({
    from: UNRESOLVED,
    readsTicket: true,
    change: ({ ticket, input, actor, now }) => {
      if (alreadyDone(ticket!, actor, input.requestKey)) return { skip: 'replayed', replay: true };
      const event = timelineEvent(
        who(actor),
        'reply',
        { content: input.content, ...(input.requestKey ? { requestKey: input.requestKey } : {}) },
        now,
      );
      if (ticket!.status === 'answered') return { guard: { status: 'answered' }, events: [event] };
      // The first response time stops at the first public reply (a reopened ticket keeps its first).
      const first = ticket!.firstResponseAt ? {} : { firstResponseAt: now, responseMs: workingMs(ticket!, now) };
      return {
        guard: { status: { $in: [...OPEN_STATUSES] } },
        set: { status: 'answered', answeredAt: now, ...first },
        events: [event],
        notices: [notice('ticket_replied', { kind: 'user', id: ticket!.residentId }, now)],
      };
    },
    conflict: (current) => conflictFor(current.status),
    effects: ['stats', 'notices'],
  }),

  /** An internal note, members and admins only; in any state, even after resolution. */
  note: define<{ content: string; requestKey?: string }>({
    from: 'any',
    readsTicket: (input) => Boolean(input.requestKey),
    change: ({ ticket, input, actor, now }) => {
      if (ticket && alreadyDone(ticket, actor, input.requestKey)) return { skip: 'replayed', replay: true };
      const keyed = input.requestKey ? { requestKey: input.requestKey } : {};
      return { events: [timelineEvent(who(actor), 'note', { content: input.content, internal: true, ...keyed }, now)] };
    },
    conflict: (current) => conflictFor(current.status),
    effects: [],
  }),

  /** A member hands the ticket to a colleague of its studio (转交); an admin to any active member (改派). */
  assign: define<{ memberId: string }>({
    from: [...UNRESOLVED, 'waiting'],
    readsTicket: true,
    change: async ({ ticket, input, actor, now, models }) => {
      const member = await models.Member.findOne(
        { _id: new Types.ObjectId(input.memberId), active: true },
        { name: 1, studioIds: 1 },
      ).lean();
      const eligible = member && (actor?.role === 'admin' || member.studioIds.some((s) => s.equals(ticket!.studioId)));
      if (!member || !eligible) throw new AppError('MEMBER_NOT_AVAILABLE');
      const type = actor?.role === 'admin' ? 'reassigned' : 'transferred';
      return {
        set: {
          assigneeId: member._id,
          assigneeName: member.name,
          assignedAt: now,
          ...(ticket!.status === 'pending' ? { status: 'assigned' } : {}),
          // Waiting on the resident: the answer brings it back to the new assignee.
          ...(ticket!.status === 'waiting' && ticket!.waitingFrom === 'pending' ? { waitingFrom: 'assigned' } : {}),
        },
        events: [
          timelineEvent(
            who(actor),
            type,
            { fromMemberId: ticket!.assigneeId, toMemberId: member._id, toMemberName: member.name },
            now,
          ),
        ],
        notices: [notice('ticket_assigned', { kind: 'member', id: member._id }, now)],
      };
    },
    conflict: (current) => conflictFor(current.status),
    effects: ['stats', 'notices'],
  }),

  /** 办结, with its 三转 outcome; the 回头看 follow-up of this resolution is due later. */
  resolve: define<{ outcome: TicketOutcome; note?: string }>({
    from: ['answered'],
    readsTicket: true,
    change: ({ ticket, input, actor, now }) => ({
      set: { status: 'resolved', resolvedAt: now, outcome: input.outcome, resolveMs: workingMs(ticket!, now) },
      events: [
        timelineEvent(
          who(actor),
          'resolved',
          { outcome: input.outcome, ...(input.note ? { content: input.note } : {}) },
          now,
        ),
      ],
    }),
    conflict: (current) =>
      current.status === 'resolved' ? new AppError('TICKET_RESOLVED') : new AppError('TICKET_NOT_ANSWERED'),
    effects: ['outcome', 'followUpDue', 'stats', 'followUpJob', 'notices'],
  }),

  /** The resident's rating of the answer, once. */
  rate: define<{ score: number; comment: string }>({
    from: ['answered', 'resolved'],
    readsTicket: false,
    change: ({ input, actor, now }) => ({
      guard: { rating: null, contentCheck: { $ne: 'rejected' } },
      set: { rating: { score: input.score, comment: input.comment, at: now } },
      events: [
        timelineEvent(
          who(actor),
          'rated',
          { score: input.score, ...(input.comment ? { content: input.comment } : {}) },
          now,
        ),
      ],
    }),
    conflict: (current) => (current.rating ? new AppError('ALREADY_RATED') : new AppError('TICKET_NOT_ANSWERED')),
    effects: ['stats', 'notices'],
  }),

  /** The resident asks again within the reopen window: back to the studio with a new deadline. */
  reopen: define<{ reason: string }>({
    from: ['resolved'],
    readsTicket: true,
    change: async ({ ticket, input, actor, now, models }) => {
      if (ticket!.contentCheck === 'rejected') {
        throw new AppError('CONFLICT', {
          logMessage: 'reopen of a rejected ticket',
          userMessage: '该留言未通过内容审核，无法重新办理，请修改后重新提交',
        });
      }
      const back = await reopening(models, ticket!, now);
      return {
        guard: { resolvedAt: { $gte: new Date(now.getTime() - REOPEN_WINDOW_DAYS * DAY_MS) } },
        ...back,
        events: [timelineEvent(who(actor), 'reopened', { content: input.reason }, now)],
      };
    },
    conflict: (current) =>
      current.status === 'resolved' ? new AppError('REOPEN_WINDOW_PASSED') : new AppError('TICKET_NOT_RESOLVED'),
    effects: ['stats', 'notices', 'deadlines'],
  }),

  /** An admin's decision on a text held for review: approve releases it; reject closes it unseen by members. */
  moderate: define<{ decision: 'approve' | 'reject'; note?: string }>({
    from: 'any',
    readsTicket: true,
    change: ({ ticket, input, actor, now }) => {
      if (ticket!.contentCheck === 'pass' || ticket!.contentCheck === 'rejected') {
        throw new AppError('CONFLICT', {
          logMessage: `content already ${ticket!.contentCheck}`,
          userMessage: '该留言已审核过',
        });
      }
      if (input.decision === 'approve')
        return release(ticket!, who(actor), input.note ? `内容审核通过：${input.note}` : '内容审核通过', now);
      return {
        guard: { contentCheck: { $in: ['review', 'pending'] } },
        set: { contentCheck: 'rejected', flagged: false, status: 'resolved', resolvedAt: now, outcome: 'none' },
        events: [
          timelineEvent(
            who(actor),
            'resolved',
            { outcome: 'none', content: `内容未通过审核，不予受理${input.note ? `：${input.note}` : ''}` },
            now,
          ),
        ],
      };
    },
    conflict: () => new AppError('CONFLICT', { userMessage: '该留言已审核过' }),
    effects: ['stats', 'notices'],
  }),

  /** WeChat's re-check of a text it could not judge at submit passed: members may see it now. */
  contentPassed: define<Record<string, never>>({
    from: 'any',
    readsTicket: true,
    change: ({ ticket, now }) => release(ticket!, SYSTEM, '内容安全复检通过', now),
    effects: ['stats', 'notices'],
  }),

  /** WeChat's re-check did not pass: an admin looks at it. */
  contentFlagged: define<{ risky: boolean }>({
    from: 'any',
    readsTicket: false,
    change: ({ input, now }) => ({
      guard: { contentCheck: 'pending' },
      set: { contentCheck: 'review', flagged: true },
      events: [
        timelineEvent(
          SYSTEM,
          'flagged',
          { content: input.risky ? '内容安全复检未通过，请管理员处理' : '内容待人工复核' },
          now,
        ),
      ],
    }),
    effects: [],
    returnsTicket: false,
  }),

  /** One of the ticket's images did not pass WeChat's check (hidden from members until an admin decides). */
  imageFlagged: define<{ text: string }>({
    from: 'any',
    readsTicket: false,
    change: ({ input, now }) => ({ events: [timelineEvent(SYSTEM, 'flagged', { content: input.text }, now)] }),
    effects: [],
    returnsTicket: false,
  }),

  /** An admin's verdict on one of the ticket's images. */
  imageDecided: define<{ verdict: 'pass' | 'risky' }>({
    from: 'any',
    readsTicket: false,
    change: ({ input, actor, now }) => ({
      events: [
        timelineEvent(
          who(actor),
          'moderated',
          { content: input.verdict === 'pass' ? '图片经人工复核可以展示' : '图片经人工复核不予展示' },
          now,
        ),
      ],
    }),
    effects: [],
    returnsTicket: false,
  }),

  /** 回头看: the resident is asked whether the matter was really settled, once per resolution. */
  followUpAsked: define<{ resolvedAt: Date }>({
    from: ['resolved'],
    readsTicket: true,
    change: ({ ticket, input, now }) => {
      if (ticket!.resolvedAt?.getTime() !== input.resolvedAt.getTime()) return { skip: 'stale' };
      const previous = ticket!.followUp;
      if (previous?.resolvedAt?.getTime() === input.resolvedAt.getTime()) return { skip: 'already-asked' };
      const followUp: FollowUpRecord = {
        resolvedAt: input.resolvedAt,
        askedAt: now,
        answeredAt: null,
        settled: null,
        askedCount: (previous?.askedCount ?? 0) + 1,
        settledCount: previous?.settledCount ?? 0,
        unsettledCount: previous?.unsettledCount ?? 0,
      };
      return {
        guard: { resolvedAt: input.resolvedAt },
        set: { followUp },
        events: [timelineEvent(SYSTEM, 'follow_up', { content: '回头看：已请群众确认问题是否真正解决' }, now)],
        notices: [notice('follow_up', { kind: 'user', id: ticket!.residentId }, now)],
      };
    },
    effects: ['stats', 'notices'],
  }),

  /** The resident's answer to 回头看. Not settled: back to the studio as a reopen, whatever the reopen window. */
  followUpAnswered: define<{ settled: boolean; comment: string }>({
    from: ['resolved'],
    readsTicket: true,
    change: async ({ ticket, input, actor, now, models }) => {
      const followUp = ticket!.followUp;
      if (!followUp?.askedAt || followUp.resolvedAt?.getTime() !== ticket!.resolvedAt?.getTime())
        throw new AppError('FOLLOW_UP_NOT_ASKED');
      if (followUp.answeredAt) throw new AppError('FOLLOW_UP_ANSWERED');
      const by = residentAs(actor!, ticket!);
      const comment = input.comment ? { content: input.comment } : {};
      const answer = timelineEvent(by, input.settled ? 'follow_up_settled' : 'follow_up_unsettled', comment, now);
      const counted = input.settled
        ? { settledCount: followUp.settledCount + 1 }
        : { unsettledCount: followUp.unsettledCount + 1 };
      const answered = { ...followUp, answeredAt: now, settled: input.settled, ...counted };
      // The guard repeats what was checked, so a concurrent answer or reopen is refused, not doubled.
      const guard = { resolvedAt: ticket!.resolvedAt, 'followUp.answeredAt': null };
      if (input.settled) return { guard, set: { followUp: answered }, events: [answer] };
      const back = await reopening(models, ticket!, now);
      const reason = input.comment ? `回头看：群众反映问题尚未解决——${input.comment}` : '回头看：群众反映问题尚未解决';
      return {
        guard,
        ...back,
        set: { ...back.set, followUp: answered },
        events: [answer, timelineEvent(by, 'reopened', { content: reason }, now)],
      };
    },
    conflict: (current) =>
      current.followUp?.answeredAt ? new AppError('FOLLOW_UP_ANSWERED') : new AppError('FOLLOW_UP_NOT_ASKED'),
    effects: ['stats', 'notices', 'deadlines'],
  }),

  /** A deadline stage came: the assignee is reminded, told it is overdue, or the leads and admins are told. */
  deadlineStage: define<{ stage: DeadlineStage; dueAt: string }>({
    from: 'any',
    readsTicket: true,
    change: async ({ ticket, input, now, models }) => {
      if (ticket!.status !== 'pending' && ticket!.status !== 'assigned') return { skip: 'answered-in-time' };
      if (ticket!.dueAt.toISOString() !== input.dueAt) return { skip: 'deadline-changed' };
      const field = DEADLINE_FIELDS[input.stage];
      if (ticket![field]) return { skip: 'already-notified' };
      const notices: OutboxEntry[] = [];
      const events: TimelineEvent[] = [];
      if (input.stage === 'escalated') {
        const leads = await studioLeadsQuery(models, ticket!.studioId).lean();
        for (const lead of leads)
          if (!lead._id.equals(ticket!.assigneeId ?? undefined))
            notices.push(notice('ticket_escalated', { kind: 'member', id: lead._id }, now));
        notices.push(notice('ticket_escalated', { kind: 'admins', id: null }, now));
        events.push(
          timelineEvent(SYSTEM, 'escalated', { content: '超过答复时限未回复，已提醒工作室负责委员和政协机关' }, now),
        );
      } else if (ticket!.assigneeId && ticket!.contentCheck === 'pass') {
        // Members hear of a ticket only once they may see it (content check passed).
        const kind = input.stage === 'reminder' ? 'deadline_reminder' : 'ticket_overdue';
        notices.push(notice(kind, { kind: 'member', id: ticket!.assigneeId }, now));
      }
      return {
        guard: { status: { $in: [...OPEN_STATUSES] }, dueAt: ticket!.dueAt, [field]: null },
        set: { [field]: now },
        events,
        notices,
      };
    },
    effects: ['notices'],
  }),

  /**
   * 待补充: a member asks the resident for more information. The ticket waits, its deadline paused
   * (the time left is kept); the resident is told; left unanswered until `waitingUntil` it is closed.
   */
  requestInfo: define<{ question: string; waitSeconds: number }>({
    from: UNRESOLVED,
    readsTicket: true,
    change: ({ ticket, input, actor, now }) => {
      // The guard names the status read (kept to resume to), so the `from` list is checked here.
      if (!(UNRESOLVED as readonly string[]).includes(ticket!.status)) throw conflictFor(ticket!.status);
      if (ticket!.contentCheck !== 'pass')
        throw new AppError('CONFLICT', {
          logMessage: `info request on a ticket whose content check is ${ticket!.contentCheck}`,
          userMessage: '这条留言的内容还在审核中，审核通过后才能请群众补充信息',
        });
      return {
        guard: { status: ticket!.status, contentCheck: 'pass' },
        set: {
          status: 'waiting',
          waitingFrom: ticket!.status,
          waitingSince: now,
          waitingUntil: new Date(now.getTime() + input.waitSeconds * 1000),
          waitingQuestion: input.question,
        },
        events: [timelineEvent(who(actor), 'info_requested', { content: input.question }, now)],
        notices: [notice('info_requested', { kind: 'user', id: ticket!.residentId }, now)],
      };
    },
    conflict: (current) => conflictFor(current.status),
    effects: ['stats', 'notices'],
  }),

  /** The resident's answer: the clock runs again with the time that was left, the assignee told. */
  infoSupplied: define<{ content: string }>({
    from: ['waiting'],
    readsTicket: true,
    change: async ({ ticket, input, actor, now, models }) => {
      const t = ticket!;
      if (t.status !== 'waiting' || !t.waitingSince) throw new AppError('INFO_NOT_REQUESTED');
      const back = t.waitingFrom === 'pending' && t.assigneeId ? 'assigned' : (t.waitingFrom ?? 'assigned');
      const open = back === 'pending' || back === 'assigned';
      let deadline = {};
      if (open) {
        const studio = await models.Studio.findById(t.studioId, DEADLINE_PROJECTION).lean();
        const dueAt = await resumedDeadline(
          models,
          studio ?? { slaHours: DEFAULT_SLA_HOURS },
          t.dueAt,
          t.waitingSince,
          now,
        );
        deadline = freshDeadline(dueAt);
      }
      return {
        guard: { waitingSince: t.waitingSince },
        set: { status: back, ...NOT_WAITING, ...deadline },
        inc: { pausedMs: now.getTime() - t.waitingSince.getTime() },
        events: [timelineEvent(residentAs(actor!, t), 'info_supplied', { content: input.content }, now)],
        notices: t.assigneeId ? [notice('info_supplied', { kind: 'member', id: t.assigneeId }, now)] : [],
      };
    },
    conflict: () => new AppError('INFO_NOT_REQUESTED'),
    effects: ['stats', 'notices', 'deadlines'],
  }),

  /** Nothing came back in time: closed as 未补充 (the resident may still reopen it, or write again). */
  infoWaitExpired: define<Record<string, never>>({
    from: ['waiting'],
    readsTicket: true,
    change: ({ ticket, now }) => {
      const t = ticket!;
      if (!t.waitingSince || !t.waitingUntil || t.waitingUntil.getTime() > now.getTime()) return { skip: 'not-due' };
      const paused = now.getTime() - t.waitingSince.getTime();
      const days = Math.max(1, Math.round((t.waitingUntil.getTime() - t.waitingSince.getTime()) / DAY_MS));
      return {
        guard: { waitingSince: t.waitingSince },
        set: {
          status: 'resolved',
          resolvedAt: now,
          outcome: 'none',
          closure: 'unsupplied',
          resolveMs: workingMs(t, now, (t.pausedMs ?? 0) + paused),
          ...NOT_WAITING,
        },
        inc: { pausedMs: paused },
        events: [
          timelineEvent(
            SYSTEM,
            'closed_unsupplied',
            {
              content: `${days} 天内未收到群众补充的信息，按“未补充”办结。如仍需办理，可在 ${REOPEN_WINDOW_DAYS} 天内申请重新办理，或重新留言。`,
            },
            now,
          ),
        ],
        notices: [notice('closed_unsupplied', { kind: 'user', id: t.residentId }, now)],
      };
    },
    effects: ['stats', 'notices'],
  }),

  /** The worker delivered one notice of the outbox (or gave up on WeChat): done, and said on the timeline. */
  noticeDelivered: define<{ noticeId: Types.ObjectId; text: string; failed: boolean }>({
    from: 'any',
    readsTicket: true,
    change: ({ ticket, input, now }) => {
      const outbox = ticket!.outbox.map((e) => (e._id.equals(input.noticeId) ? { ...e, doneAt: now } : e));
      const pending = outbox.filter((e) => !e.doneAt);
      const oldest =
        pending.length > 0 ? pending.reduce((min, e) => (e.createdAt < min ? e.createdAt : min), now) : null;
      return {
        set: { outbox, noticesPendingSince: oldest },
        events: [timelineEvent(SYSTEM, input.failed ? 'notify_failed' : 'notified', { content: input.text }, now)],
      };
    },
    effects: [],
    returnsTicket: false,
  }),
} as const;

export type TransitionName = keyof typeof TRANSITIONS;
export type TransitionInput<Name extends TransitionName> =
  (typeof TRANSITIONS)[Name] extends Transition<infer Input> ? Input : never;

const DEADLINE_FIELDS = {
  reminder: 'remindedAt',
  overdue: 'overdueNotifiedAt',
  escalated: 'escalatedAt',
} as const satisfies Record<DeadlineStage, keyof TicketDoc>;

/**
 * A studio's active lead members, told of an escalation. FerretDB cannot look inside the leadOf
 * array: it reads the active members by the {active, name, _id} index and keeps the studio's leads.
 */
export function studioLeadsQuery(models: Models, studioId: Types.ObjectId) {
  return models.Member.find({ leadOf: studioId, active: true }, { _id: 1 });
}
