import mongoose from 'mongoose';
import pino, { type DestinationStream } from 'pino';
import { Redis } from 'ioredis';
import { Worker, type Job } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import { registerModels } from '../models';
import { watchDatabase } from '../lib/database-watchdog';
import { pingDatabase } from '../plugins/mongo';
import { REDACTED_PATHS } from '../logger';
import { createWechatClient } from '../wechat/client';
import { JOB_NAMES, QUEUE_NAMES, createProducers, assertJobData, NotifyJob, DeadlineJob } from '../queues';
import { deliverNotice, handleDeadline, type WorkerDeps } from '../modules/notifications/deliver';
import { sweep } from './sweeper';
import { ensureOperationsSchedules, operationsWorker } from './operations';

export interface RunningWorkers {
  deps: WorkerDeps;
  close(timeoutMs?: number): Promise<void>;
}

/**
 * The BullMQ workers: notices, deadline stages and the repeatable sweeper. Run by worker.ts as its
 * own process (N replicas are fine: every job is idempotent and every write is serialized per ticket),
 * and in-process by tests.
 */
export async function startWorkers(
  config: Config,
  options: { logStream?: DestinationStream; concurrency?: number } = {},
): Promise<RunningWorkers> {
  const log = pino(
    { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { process: 'worker' } },
    options.logStream,
  ) as unknown as FastifyBaseLogger;
  const connectOptions = { serverSelectionTimeoutMS: 5000, maxPoolSize: 20 };
  const connection = await mongoose.createConnection(config.mongodbUri, connectOptions).asPromise();
  // A client stuck after a database restart would fail every job until the process restarts.
  const watchdog = watchDatabase(connection, {
    uri: config.mongodbUri,
    connectOptions,
    ping: () => pingDatabase(connection),
    onReconnect: (reason) => log.warn({ reason }, 'database client replaced'),
  });
  const models = registerModels(connection);
  // Workers wait for Redis rather than failing commands: BullMQ requires maxRetriesPerRequest null.
  const redisOptions = {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
  const commands = new Redis(config.redisUrl, redisOptions);
  const bullConnection = new Redis(config.redisUrl, redisOptions);
  for (const client of [commands, bullConnection])
    client.on('error', (error) => log.debug({ reason: error.message }, 'worker redis problem'));
  const queues = createProducers(bullConnection, config.notifications.sendAttempts, config.notifications.backoffMs);
  for (const queue of [queues.notify, queues.deadlines, queues.maintenance, queues.operations]) {
    queue.on('error', (error) => log.debug({ queue: queue.name, reason: error.message }, 'queue connection problem'));
  }
  const wechat = createWechatClient({ ...config.wechat, redis: commands });
  const deps: WorkerDeps = { models, redis: commands, wechat, queues, config, log };

  const concurrency = options.concurrency ?? 8;
  const workers = [
    new Worker(
      QUEUE_NAMES.notify,
      async (job: Job) =>
        deliverNotice(deps, assertJobData(NotifyJob, job.data), {
          made: job.attemptsMade,
          max: job.opts.attempts ?? 1,
        }),
      { connection: bullConnection, concurrency },
    ),
    new Worker(QUEUE_NAMES.deadlines, async (job: Job) => handleDeadline(deps, assertJobData(DeadlineJob, job.data)), {
      connection: bullConnection,
      concurrency: 4,
    }),
    new Worker(QUEUE_NAMES.maintenance, async () => sweep(deps), { connection: bullConnection, concurrency: 1 }),
    operationsWorker(deps, bullConnection),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) =>
      log.warn(
        { queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, reason: error.message },
        'job failed',
      ),
    );
    worker.on('error', (error) => log.debug({ queue: worker.name, reason: error.message }, 'worker error'));
  }
  // The sweeper's schedule lives in Redis: assert it at start and again whenever Redis comes back,
  // so even a Redis that lost its data (no persistence) gets its safety net back.
  const ensureSweeper = () =>
    queues.maintenance
      .upsertJobScheduler(
        'sweeper',
        { every: config.notifications.sweepIntervalSeconds * 1000 },
        { name: JOB_NAMES.sweep },
      )
      .catch((error: Error) =>
        log.warn({ reason: error.message }, 'sweeper schedule not set; will retry when Redis is back'),
      );
  await ensureSweeper();
  commands.on('ready', () => void ensureSweeper());
  await ensureOperationsSchedules(deps);
  commands.on('ready', () => void ensureOperationsSchedules(deps));
  log.info({ concurrency }, 'workers started');

  return {
    deps,
    async close(timeoutMs = 10_000) {
      // Let running jobs finish, but never hang shutdown: stalled jobs are picked up again by a peer.
      const closing = Promise.all(workers.map((w) => w.close()));
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
      await queues.close().catch(() => undefined);
      commands.disconnect();
      bullConnection.disconnect();
      watchdog.stop();
      await connection.close();
    },
  };
}
