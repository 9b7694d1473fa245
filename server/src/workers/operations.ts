import { randomBytes } from 'node:crypto';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { QUEUE_NAMES, type Producers } from '../queues';
import type { WorkerDeps } from './notifications/deliver';
import { reconcileStats, statsReady } from './stats/rollup';
import { repairOutcomeRecords } from './outcomes/service';
import { computeStars } from './stars/service';
import { FOLLOW_UP_JOB, askFollowUp, repairFollowUps, sweepFollowUps } from './followups/service';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Jobs of the operations queue, by name. Each carries ids only and is safe to run twice. */
export const OPERATIONS_JOBS = { statsReconcile: 'stats-reconcile', starRatings: 'star-ratings', followUp: FOLLOW_UP_JOB, followUpSweep: 'follow-up-sweep' } as const;

/** A follow-up job carries the ticket and the resolution it asks about (ids, not documents). */
const FollowUpJob = Type.Object({ ticketId: Type.String({ pattern: '^[0-9a-f]{24}$' }), resolvedAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false });

/** A reconcile reads every ticket; one at a time across workers is plenty. */
const RECONCILE_LOCK = 'lock:stats-reconcile';
const RECONCILE_LOCK_MS = 15 * 60_000;
const ADD_TIMEOUT_MS = 1500;

function bounded<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue add not confirmed within ${ADD_TIMEOUT_MS} ms`)), ADD_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Asks a worker to reconcile the statistics rollup; repeated asks within a minute are one job. */
export async function requestStatsReconcile(queues: Producers, log: FastifyBaseLogger): Promise<void> {
  const minute = Math.floor(Date.now() / 60_000);
  await bounded(queues.operations.add(OPERATIONS_JOBS.statsReconcile, {}, { jobId: `stats-reconcile-${minute}` })).catch((error: Error) =>
    log.warn({ reason: error.message }, 'statistics reconcile not queued'),
  );
}

export async function runStatsReconcile(deps: Pick<WorkerDeps, 'models' | 'redis' | 'log'>): Promise<string> {
  const token = randomBytes(8).toString('hex');
  if ((await deps.redis.set(RECONCILE_LOCK, token, 'PX', RECONCILE_LOCK_MS, 'NX')) !== 'OK') return 'already-running';
  try {
    const result = await reconcileStats(deps.models, deps.redis);
    deps.log.info(result, 'statistics reconciled');
    return `reconciled ${result.tickets} tickets, ${result.changed} changed`;
  } finally {
    if ((await deps.redis.get(RECONCILE_LOCK)) === token) await deps.redis.del(RECONCILE_LOCK);
  }
}

/** Asks a worker for a star run now (an admin's request); the same job as the nightly one. */
export async function requestStarRatings(queues: Producers): Promise<boolean> {
  try {
    await bounded(queues.operations.add(OPERATIONS_JOBS.starRatings, {}, { jobId: `star-ratings-now-${Math.floor(Date.now() / 10_000)}` }));
    return true;
  } catch {
    return false;
  }
}

/**
 * The nightly run: first make the statistics and 三转 records whole (a crash may have left a change
 * out), then compute every studio's star from them.
 */
export async function runNightly(deps: WorkerDeps): Promise<string> {
  const reconciled = await runStatsReconcile(deps);
  const repaired = await repairOutcomeRecords(deps.models);
  const followUps = await repairFollowUps(deps.models);
  const stars = await computeStars(deps, deps.config.operations.stars);
  return `${reconciled}; ${repaired} outcome records and ${followUps} follow-ups added; stars: ${stars.rated} rated, ${stars.changed} changed, ${stars.kept} kept`;
}

export function operationsWorker(deps: WorkerDeps, connection: ConnectionOptions): Worker {
  return new Worker(
    QUEUE_NAMES.operations,
    async (job: Job) => {
      switch (job.name) {
        case OPERATIONS_JOBS.statsReconcile:
          return runStatsReconcile(deps);
        case OPERATIONS_JOBS.starRatings:
          return runNightly(deps);
        case OPERATIONS_JOBS.followUp: {
          if (!Value.Check(FollowUpJob, job.data)) throw new UnrecoverableError(`invalid follow-up job ${JSON.stringify(job.data)}`);
          return askFollowUp(deps, job.data.ticketId, job.data.resolvedAt);
        }
        case OPERATIONS_JOBS.followUpSweep:
          return `${await sweepFollowUps(deps)} follow-ups asked`;
        default:
          throw new Error(`unknown operations job ${job.name}`);
      }
    },
    { connection, concurrency: 2 },
  );
}

/**
 * Repeatable schedules of the operations queue, asserted at start and whenever Redis comes back
 * (a Redis that lost its data loses them). A missing statistics rollup is rebuilt at once.
 */
export async function ensureOperationsSchedules(deps: WorkerDeps): Promise<void> {
  try {
    await deps.queues.operations.upsertJobScheduler('follow-up-sweep', { every: deps.config.operations.followUp.sweepIntervalSeconds * 1000 }, { name: OPERATIONS_JOBS.followUpSweep });
    await deps.queues.operations.upsertJobScheduler('star-ratings', { pattern: deps.config.operations.stars.cron, tz: 'Asia/Shanghai' }, { name: OPERATIONS_JOBS.starRatings });
    if (!(await statsReady(deps.redis, deps.models))) await requestStatsReconcile(deps.queues, deps.log);
  } catch (error) {
    deps.log.warn({ reason: (error as Error).message }, 'operations schedules not set; will retry when Redis is back');
  }
}
