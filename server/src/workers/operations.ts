import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { FollowUpJob, JOB_NAMES, QUEUE_NAMES, requestStatsReconcile } from '../queues';
import type { WorkerDeps } from '../modules/notifications/deliver';
import { reconcileStats, statsReady } from '../modules/stats/rollup';
import { repairOutcomeRecords } from '../modules/outcomes/records';
import { computeStars } from '../modules/stars/service';
import { askFollowUp, sweepFollowUps } from '../modules/followups/service';
import { repairFollowUps } from '../workflow/follow-up-due';
import { closeExpiredWaits } from '../modules/info-requests/service';
import { Value } from '@sinclair/typebox/value';

/**
 * Reconciles the statistics rollup. One at a time across workers: a requested reconcile is one
 * deduplicated job (see requestStatsReconcile); the nightly run does its own as its first step.
 */
async function runStatsReconcile(deps: Pick<WorkerDeps, 'models' | 'redis' | 'log'>): Promise<string> {
  const result = await reconcileStats(deps.models, deps.redis);
  deps.log.info(result, 'statistics reconciled');
  return `reconciled ${result.tickets} tickets, ${result.changed} changed`;
}

/**
 * The nightly run: first make the statistics and 三转 records whole (a crash may have left a change
 * out), then compute every studio's star from them.
 */
async function runNightly(deps: WorkerDeps): Promise<string> {
  const reconciled = await runStatsReconcile(deps);
  const repaired = await repairOutcomeRecords(deps.models);
  const followUps = await repairFollowUps(deps.models);
  const stars = await computeStars(deps, deps.config.operations.stars);
  return `${reconciled}; ${repaired} outcome records and ${followUps} follow-ups added; stars: ${stars.rated} rated, ${stars.changed} changed, ${stars.kept} kept`;
}

/** The operations queue's processor. Each job carries ids only and is safe to run twice. */
export function operationsWorker(deps: WorkerDeps, connection: ConnectionOptions): Worker {
  return new Worker(
    QUEUE_NAMES.operations,
    async (job: Job) => {
      switch (job.name) {
        case JOB_NAMES.statsReconcile:
          return runStatsReconcile(deps);
        case JOB_NAMES.starRatings:
          return runNightly(deps);
        case JOB_NAMES.followUp: {
          if (!Value.Check(FollowUpJob, job.data))
            throw new UnrecoverableError(`invalid follow-up job ${JSON.stringify(job.data)}`);
          return askFollowUp(deps, job.data.ticketId, job.data.resolvedAt);
        }
        case JOB_NAMES.followUpSweep:
          return `${await sweepFollowUps(deps)} follow-ups asked`;
        case JOB_NAMES.infoWaitSweep:
          return `${await closeExpiredWaits(deps)} tickets closed as unsupplied`;
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
    const { followUp, infoWait, stars } = deps.config.operations;
    await deps.queues.operations.upsertJobScheduler(
      'follow-up-sweep',
      { every: followUp.sweepIntervalSeconds * 1000 },
      { name: JOB_NAMES.followUpSweep },
    );
    await deps.queues.operations.upsertJobScheduler(
      'info-wait-sweep',
      { every: infoWait.sweepIntervalSeconds * 1000 },
      { name: JOB_NAMES.infoWaitSweep },
    );
    await deps.queues.operations.upsertJobScheduler(
      'star-ratings',
      { pattern: stars.cron, tz: 'Asia/Shanghai' },
      { name: JOB_NAMES.starRatings },
    );
    if (!(await statsReady(deps.redis, deps.models))) await requestStatsReconcile(deps.queues, deps.log);
  } catch (error) {
    deps.log.warn({ reason: (error as Error).message }, 'operations schedules not set; will retry when Redis is back');
  }
}
