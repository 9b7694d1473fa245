import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Every queue of the system, named once. */
export const QUEUE_NAMES = {
  notify: 'notify',
  deadlines: 'deadlines',
  maintenance: 'maintenance',
  /** Statistics reconcile, nightly star ratings, 回头看 follow-ups, 待补充 closing. */
  operations: 'operations',
} as const;

/** Every job name, by queue. */
export const JOB_NAMES = {
  notify: 'notify',
  deadline: 'deadline',
  sweep: 'sweep',
  statsReconcile: 'stats-reconcile',
  starRatings: 'star-ratings',
  followUp: 'follow-up',
  followUpSweep: 'follow-up-sweep',
  /** 待补充: close the tickets whose wait for the resident ran out. */
  infoWaitSweep: 'info-wait-sweep',
} as const;

const ObjectIdString = Type.String({ pattern: '^[0-9a-f]{24}$' });

/** Jobs carry ids, never documents: the worker re-reads the current state when it runs. */
export const NotifyJob = Type.Object(
  { ticketId: ObjectIdString, noticeId: ObjectIdString },
  { additionalProperties: false },
);
export type NotifyJob = Static<typeof NotifyJob>;

const DEADLINE_STAGES = ['reminder', 'overdue', 'escalated'] as const;
export type DeadlineStage = (typeof DEADLINE_STAGES)[number];
export const DeadlineJob = Type.Object(
  { ticketId: ObjectIdString, stage: Type.Union(DEADLINE_STAGES.map((s) => Type.Literal(s))), dueAt: Type.String() },
  { additionalProperties: false },
);
export type DeadlineJob = Static<typeof DeadlineJob>;

/** A 回头看 follow-up: the ticket and the resolution it asks about. */
export const FollowUpJob = Type.Object(
  { ticketId: ObjectIdString, resolvedAt: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
export type FollowUpJob = Static<typeof FollowUpJob>;

/** Jobs that carry nothing: the sweeps, the reconcile, the star run. */
export const EmptyJob = Type.Object({}, { additionalProperties: false });
export type EmptyJob = Static<typeof EmptyJob>;

/** A job's data checked against its schema; the type follows from the schema. */
export function assertJobData<S extends TSchema>(schema: S, data: unknown): Static<S> {
  if (!Value.Check(schema, data)) throw new Error(`invalid job payload: ${JSON.stringify(data)}`);
  return data;
}

/**
 * Job ids: deterministic, so adding the same job twice is one job (BullMQ keeps the first). Built
 * here only; the sweepers rebuild the same ids to fill in what a crash left out.
 */
export const jobIds = {
  /** One delivery per outbox entry; a sweep's re-queue adds its period (`-s<bucket>`). */
  notice: (noticeId: string, suffix = '') => `${noticeId}${suffix}`,
  /** One job per stage of one deadline: a new deadline (reopen) gets new jobs. */
  deadline: (ticketId: string, stage: DeadlineStage, dueAt: Date) => `dl-${ticketId}-${stage}-${dueAt.getTime()}`,
  /** One follow-up per resolution. */
  followUp: (ticketId: string, resolvedAt: Date) => `fu-${ticketId}-${resolvedAt.getTime()}`,
  /** An admin's star run: repeated presses within 10 s are one run. */
  starRatingsNow: (now = Date.now()) => `star-ratings-now-${Math.floor(now / 10_000)}`,
} as const;

/** Deduplication ids: while a job with this id waits or runs, another add is ignored. */
export const dedupIds = {
  /** A reconcile reads every ticket: one at a time is plenty, however many ask. */
  statsReconcile: 'stats-reconcile',
} as const;
