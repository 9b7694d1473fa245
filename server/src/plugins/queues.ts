import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createProducers, redisOptionsFromUrl, type Producers } from '../queues';

declare module 'fastify' {
  interface FastifyInstance {
    queues: Producers;
  }
}

/**
 * Queue producers for the API. Callers bound every add with a short timeout (see outbox.ts), so
 * while Redis is down a request is not held up: the outbox on the ticket keeps the notice and the
 * sweeper queues it later. (BullMQ's producer connection cannot start with ioredis' offline queue
 * disabled: its ready check fails, so the bound is applied per add instead.)
 */
export default fp(
  async function queuesPlugin(
    app: FastifyInstance,
    opts: { redisUrl: string; sendAttempts: number; backoffMs: number },
  ) {
    const connection = redisOptionsFromUrl(opts.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    const producers = createProducers(connection, opts.sendAttempts, opts.backoffMs);
    for (const queue of [producers.notify, producers.deadlines, producers.maintenance, producers.operations]) {
      queue.on('error', (error) => app.log.debug({ reason: error.message }, 'queue error'));
    }
    app.decorate('queues', producers);
    app.addHook('onClose', async () => {
      await producers.close().catch(() => undefined);
    });
  },
  { name: 'queues' },
);
