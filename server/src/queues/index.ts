import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Every queue of the system, named once. */
export const QUEUE_NAMES = {
  notify: 'notify',
  deadlines: 'deadlines',
  maintenance: 'maintenance',
  /** Statistics reconcile, nightly star ratings, 回头看 follow-ups (see modules/operations-jobs.ts). */
  operations: 'operations',
} as const;

const ObjectIdString = Type.String({ pattern: '^[0-9a-f]{24}$' });

/** Jobs carry ids, never documents: the worker re-reads the current state when it runs. */
export const NotifyJob = Type.Object({ ticketId: ObjectIdString, noticeId: ObjectIdString }, { additionalProperties: false });
export type NotifyJob = Static<typeof NotifyJob>;

export const DEADLINE_STAGES = ['reminder', 'overdue', 'escalated'] as const;
export type DeadlineStage = (typeof DEADLINE_STAGES)[number];
export const DeadlineJob = Type.Object(
  { ticketId: ObjectIdString, stage: Type.Union(DEADLINE_STAGES.map((s) => Type.Literal(s))), dueAt: Type.String() },
  { additionalProperties: false },
);
export type DeadlineJob = Static<typeof DeadlineJob>;

export function assertJobData<T>(schema: typeof NotifyJob | typeof DeadlineJob, data: unknown): T {
  if (!Value.Check(schema, data)) throw new Error(`invalid job payload: ${JSON.stringify(data)}`);
  return data as T;
}

/** Bounded history: enough to inspect recent work, never an ever-growing Redis. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

export interface Producers {
  notify: Queue<NotifyJob>;
  deadlines: Queue<DeadlineJob>;
  maintenance: Queue;
  operations: Queue;
  close(): Promise<void>;
}

export function createProducers(connection: ConnectionOptions, sendAttempts: number, backoffMs: number): Producers {
  const notify = new Queue<NotifyJob>(QUEUE_NAMES.notify, {
    connection,
    defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: sendAttempts, backoff: { type: 'exponential', delay: backoffMs } },
  });
  const deadlines = new Queue<DeadlineJob>(QUEUE_NAMES.deadlines, { connection, defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: 5, backoff: { type: 'exponential', delay: 1000 } } });
  const maintenance = new Queue(QUEUE_NAMES.maintenance, { connection, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const operations = new Queue(QUEUE_NAMES.operations, { connection, defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: 5, backoff: { type: 'exponential', delay: 2000 } } });
  return {
    notify,
    deadlines,
    maintenance,
    operations,
    async close() {
      const queues = [notify, deadlines, maintenance, operations];
      // Closing a queue whose connection is still starting makes BullMQ emit an unhandled error:
      // let the start finish first (briefly; a dead Redis is not waited for).
      await Promise.race([Promise.allSettled(queues.map((q) => q.waitUntilReady())), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}

/** ioredis options from a redis:// or rediss:// URL, so BullMQ builds (and watches) its own clients. */
export function redisOptionsFromUrl(url: string, extra: Record<string, unknown> = {}): ConnectionOptions {
  const parsed = new URL(url);
  const db = Number(parsed.pathname.replace('/', '') || 0);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    ...extra,
  } as ConnectionOptions;
}
