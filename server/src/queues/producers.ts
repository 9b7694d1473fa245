import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { QUEUE_NAMES, type DeadlineJob, type EmptyJob, type FollowUpJob, type NotifyJob } from './jobs';

/** Bounded history: enough to inspect recent work, never an ever-growing Redis. */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

export interface Producers {
  notify: Queue<NotifyJob>;
  deadlines: Queue<DeadlineJob>;
  maintenance: Queue<EmptyJob>;
  operations: Queue<FollowUpJob | EmptyJob>;
  close(): Promise<void>;
}

export function createProducers(connection: ConnectionOptions, sendAttempts: number, backoffMs: number): Producers {
  const notify = new Queue<NotifyJob>(QUEUE_NAMES.notify, {
    connection,
    defaultJobOptions: {
      ...DEFAULT_JOB_OPTIONS,
      attempts: sendAttempts,
      backoff: { type: 'exponential', delay: backoffMs },
    },
  });
  const deadlines = new Queue<DeadlineJob>(QUEUE_NAMES.deadlines, {
    connection,
    defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  });
  const maintenance = new Queue<EmptyJob>(QUEUE_NAMES.maintenance, {
    connection,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  const operations = new Queue<FollowUpJob | EmptyJob>(QUEUE_NAMES.operations, {
    connection,
    defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
  });
  return {
    notify,
    deadlines,
    maintenance,
    operations,
    async close() {
      const queues = [notify, deadlines, maintenance, operations];
      // Closing a queue whose connection is still starting makes BullMQ emit an unhandled error:
      // let the start finish first (briefly; a dead Redis is not waited for).
      const started = Promise.allSettled(queues.map((q) => q.waitUntilReady()));
      await Promise.race([started, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}

/** An add that Redis does not confirm in this time is left to the sweepers. */
const ADD_TIMEOUT_MS = 1500;

/**
 * Waits for a queue add at most ADD_TIMEOUT_MS: with Redis down, BullMQ would wait for it, and a
 * request must not. Whatever was not added is found again by a sweeper.
 */
export function addWithTimeout<T>(adding: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue add not confirmed within ${ADD_TIMEOUT_MS} ms`)), ADD_TIMEOUT_MS);
  });
  return Promise.race([adding, timeout]).finally(() => clearTimeout(timer));
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
