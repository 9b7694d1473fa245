import { Schema, type Connection, type Model, type Types } from 'mongoose';
import {
  CONTENT_CHECK_STATES,
  type ContentCheckState,
  NOTICE_KINDS,
  type NoticeKind,
  ROLES,
  TICKET_CATEGORIES,
  TICKET_EVENT_TYPES,
  TICKET_OUTCOMES,
  TICKET_STATUSES,
  type Role,
  type TicketCategory,
  type TicketEventType,
  type TicketOutcome,
  type TicketStatus,
} from '@mashangshang/shared';

/** One step on a ticket's timeline: who did what, when. Appended in the same update as the change. */
export interface TimelineEvent {
  _id: Types.ObjectId;
  type: TicketEventType;
  at: Date;
  actor: { role: Role | 'system'; id: Types.ObjectId | null; name: string };
  /** Reply or note text, reopen reason, resolve note, rating comment. */
  content?: string;
  internal?: boolean;
  fromMemberId?: Types.ObjectId | null;
  toMemberId?: Types.ObjectId | null;
  toMemberName?: string;
  outcome?: TicketOutcome;
  score?: number;
  /** The Idempotency-Key the actor's request carried (replies and notes): a resend adds nothing. */
  requestKey?: string;
}

/** Who a notice is for: a WeChat user, a member (through their bound user), or every admin. */
export type NoticeRecipient =
  { kind: 'user'; id: Types.ObjectId } | { kind: 'member'; id: Types.ObjectId } | { kind: 'admins'; id: null };

/**
 * The outbox: a notice is recorded here in the same update as the change that causes it, then
 * queued. `doneAt` is set when the worker has delivered it (or given up); until then the sweeper
 * queues it again, so a crash between the write and the queue loses nothing.
 */
export interface OutboxEntry {
  _id: Types.ObjectId;
  kind: NoticeKind;
  recipient: NoticeRecipient;
  createdAt: Date;
  doneAt: Date | null;
}

export interface FollowUpRecord {
  /** The resolvedAt of the resolution this question was about. */
  resolvedAt: Date;
  askedAt: Date;
  answeredAt: Date | null;
  settled: boolean | null;
  askedCount: number;
  settledCount: number;
  unsettledCount: number;
}

export interface TicketDoc {
  _id: Types.ObjectId;
  no: string;
  studioId: Types.ObjectId;
  residentId: Types.ObjectId;
  idempotencyKey: string;
  category: TicketCategory;
  content: string;
  imageIds: Types.ObjectId[];
  /** AES-GCM encrypted; see lib/crypto. */
  contactPhoneEnc: string | null;
  /** The resident allows members to see the full phone number and call back. */
  allowContact: boolean;
  anonymous: boolean;
  status: TicketStatus;
  assigneeId: Types.ObjectId | null;
  assigneeName: string | null;
  /** When the current assignee got it: ties in assignment go to who waited longest. */
  assignedAt: Date | null;
  contactName: string | null;
  dueAt: Date;
  answeredAt: Date | null;
  resolvedAt: Date | null;
  outcome: TicketOutcome | null;
  rating: { score: number; comment: string; at: Date } | null;
  /** Result of WeChat's content check: `pending` when WeChat was unreachable at submit. */
  contentCheck: ContentCheckState;
  /** Needs an admin's eye (content under review). */
  flagged: boolean;
  reopenCount: number;
  outbox: OutboxEntry[];
  /** Oldest undelivered outbox entry's time; null when the outbox is drained (the sweeper's index). */
  noticesPendingSince: Date | null;
  /** Deadline stages already notified for the current dueAt (reset when dueAt changes). */
  remindedAt: Date | null;
  overdueNotifiedAt: Date | null;
  escalatedAt: Date | null;
  /** 回头看: the latest follow-up question (asked for the resolution at `resolvedAt`) and its answer, with running counts. */
  followUp?: FollowUpRecord | null;
  /** 待补充: since when the ticket waits on its resident (null when not waiting), until when, what was asked. */
  waitingSince?: Date | null;
  waitingUntil?: Date | null;
  waitingQuestion?: string | null;
  /** The status the ticket goes back to when the resident answers. */
  waitingFrom?: TicketStatus | null;
  /** Time spent waiting on the resident, all pauses together (not counted against the studio). */
  pausedMs?: number;
  /** The first public reply; the first response time, paused time before it left out. */
  firstResponseAt?: Date | null;
  responseMs?: number | null;
  /** Submit to the latest resolution, paused time left out. */
  resolveMs?: number | null;
  /** Why the ticket was closed without an answer: the resident never supplied what was asked. */
  closure?: 'unsupplied' | null;
  /** Incremented by every change; lets clients detect concurrent edits. */
  version: number;
  timeline: TimelineEvent[];
  createdAt: Date;
  updatedAt: Date;
}

const timelineEventSchema = new Schema<TimelineEvent>(
  {
    type: { type: String, enum: TICKET_EVENT_TYPES, required: true },
    at: { type: Date, required: true },
    actor: {
      role: { type: String, enum: [...ROLES, 'system'], required: true },
      id: { type: Schema.Types.ObjectId, default: null },
      name: { type: String, required: true },
    },
    content: String,
    internal: Boolean,
    fromMemberId: Schema.Types.ObjectId,
    toMemberId: Schema.Types.ObjectId,
    toMemberName: String,
    outcome: { type: String, enum: TICKET_OUTCOMES },
    score: Number,
    requestKey: String,
  },
  { _id: true },
);

const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    kind: { type: String, enum: NOTICE_KINDS, required: true },
    recipient: {
      kind: { type: String, enum: ['user', 'member', 'admins'], required: true },
      id: { type: Schema.Types.ObjectId, default: null },
    },
    createdAt: { type: Date, required: true },
    doneAt: { type: Date, default: null },
  },
  { _id: true },
);

const ticketSchema = new Schema<TicketDoc>(
  {
    no: { type: String, required: true },
    studioId: { type: Schema.Types.ObjectId, required: true },
    residentId: { type: Schema.Types.ObjectId, required: true },
    idempotencyKey: { type: String, required: true },
    category: { type: String, enum: TICKET_CATEGORIES, required: true },
    content: { type: String, required: true },
    imageIds: { type: [Schema.Types.ObjectId], default: [] },
    contactPhoneEnc: { type: String, default: null },
    allowContact: { type: Boolean, default: false },
    anonymous: { type: Boolean, default: false },
    status: { type: String, enum: TICKET_STATUSES, required: true },
    assigneeId: { type: Schema.Types.ObjectId, default: null },
    assigneeName: { type: String, default: null },
    assignedAt: { type: Date, default: null },
    contactName: { type: String, default: null },
    dueAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
    resolvedAt: { type: Date, default: null },
    outcome: { type: String, enum: [...TICKET_OUTCOMES, null], default: null },
    rating: { type: { score: Number, comment: String, at: Date }, default: null, _id: false },
    contentCheck: { type: String, enum: CONTENT_CHECK_STATES, required: true },
    flagged: { type: Boolean, default: false },
    reopenCount: { type: Number, default: 0 },
    outbox: { type: [outboxEntrySchema], default: [] },
    noticesPendingSince: { type: Date, default: null },
    remindedAt: { type: Date, default: null },
    overdueNotifiedAt: { type: Date, default: null },
    escalatedAt: { type: Date, default: null },
    followUp: {
      type: {
        resolvedAt: Date,
        askedAt: Date,
        answeredAt: Date,
        settled: Boolean,
        askedCount: Number,
        settledCount: Number,
        unsettledCount: Number,
      },
      default: null,
      _id: false,
    },
    waitingSince: { type: Date, default: null },
    waitingUntil: { type: Date, default: null },
    waitingQuestion: { type: String, default: null },
    waitingFrom: { type: String, enum: [...TICKET_STATUSES, null], default: null },
    pausedMs: { type: Number, default: 0 },
    firstResponseAt: { type: Date, default: null },
    responseMs: { type: Number, default: null },
    resolveMs: { type: Number, default: null },
    closure: { type: String, enum: ['unsupplied', null], default: null },
    version: { type: Number, default: 1 },
    timeline: { type: [timelineEventSchema], default: [] },
  },
  { timestamps: true, versionKey: false },
);

ticketSchema.index({ no: 1 }, { unique: true });
// Same resident + same Idempotency-Key → the same ticket, enforced by the database.
ticketSchema.index({ residentId: 1, idempotencyKey: 1 }, { unique: true });
ticketSchema.index({ residentId: 1, _id: -1 });
// A studio's tickets and a member's handed-over tickets, newest first: by status (an inbox tab; open
// counts per assignee for assignment) and in every status (the inbox's 全部), each a walk in _id
// order that stops after a page instead of a sort of everything the studio ever received.
ticketSchema.index({ studioId: 1, status: 1, _id: -1 });
ticketSchema.index({ studioId: 1, _id: -1 });
ticketSchema.index({ assigneeId: 1, status: 1, _id: -1 });
ticketSchema.index({ assigneeId: 1, _id: -1 });
ticketSchema.index({ status: 1, dueAt: 1 });
// The admin's lists by status newest first (overdue board, unassigned): keyset order without a
// blocking sort; dueAt in the key so overdue is decided before fetching a document.
ticketSchema.index({ status: 1, _id: -1, dueAt: 1 });
ticketSchema.index({ noticesPendingSince: 1 });
// The sweeper's re-check of texts WeChat could not judge at submit (contentCheck 'pending').
ticketSchema.index({ contentCheck: 1 });

export type TicketModel = Model<TicketDoc>;

export function ticketModel(connection: Connection): TicketModel {
  return connection.model<TicketDoc>('Ticket', ticketSchema);
}
