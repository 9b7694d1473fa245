import fs from 'node:fs';
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthResponse, ReadinessResponse, type SupervisedChild, errorResponses } from '@mashangshang/shared';
import { pingDatabase } from '../../plugins/mongo';
import { pingRedis } from '../../plugins/redis';

/**
 * The supervisor's report of `npm start`'s children (restarts, crash loops), when the API runs under
 * it. A missing or unreadable file reports nothing: readiness does not depend on it.
 */
async function supervisorReport(file: string) {
  if (!file) return null;
  try {
    const status = JSON.parse(await fs.promises.readFile(file, 'utf8')) as {
      children: Record<string, Static<typeof SupervisedChild>>;
    };
    const children = Object.fromEntries(
      Object.entries(status.children).map(([name, child]) => [
        name,
        {
          state: child.state,
          restarts: child.restarts,
          recentCrashes: child.recentCrashes,
          crashLoop: child.crashLoop,
          lastExitAt: child.lastExitAt,
        },
      ]),
    );
    const crashLooping = Object.entries(children)
      .filter(([, child]) => child.crashLoop)
      .map(([name]) => name);
    return { children, crashLooping };
  } catch {
    return null;
  }
}

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
      const supervisor = await supervisorReport(app.config.supervisorStatusFile);
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'unavailable',
        checks: { database: database ? 'up' : 'down', redis: redis ? 'up' : 'down' },
        ...(supervisor ? { supervisor } : {}),
      });
    },
  );
};

export default healthRoutes;
