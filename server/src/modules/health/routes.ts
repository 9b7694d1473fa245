import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthResponse, ReadinessResponse, errorResponses } from '@mashangshang/shared';
import { pingDatabase } from '../../plugins/mongo';
import { pingRedis } from '../../plugins/redis';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'health',
        tags: ['health'],
        summary: '进程存活检查',
        security: [],
        // Like every route, it refuses a query with unreadable text (see plugins/text-integrity).
        response: { 200: HealthResponse, ...errorResponses(400) },
      },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'readiness',
        tags: ['health'],
        summary: '就绪检查：数据库与 Redis 均可用时为 200，否则 503',
        security: [],
        response: { 200: ReadinessResponse, 503: ReadinessResponse, ...errorResponses(400) },
      },
      logLevel: 'warn',
    },
    async (_request, reply) => {
      const [database, redis] = await Promise.all([pingDatabase(app.mongo), pingRedis(app.redis)]);
      const ready = database && redis;
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'unavailable',
        checks: { database: database ? 'up' : 'down', redis: redis ? 'up' : 'down' },
      });
    },
  );
};

export default healthRoutes;
