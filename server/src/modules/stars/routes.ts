import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, StarOverrideBody, StarRecomputeResponse, StudioStars, errorResponses } from '@mashangshang/shared';
import { getStudioStars, overrideStar } from './service';
import { requestStarRatings } from '../../queues';
import { AppError } from '../../errors';

const security = [{ bearerAuth: [] }];

/** Star ratings with dynamic management: computed nightly, overridable by admins with a reason, history kept. */
const starRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/admin/studios/:id/stars',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminGetStudioStars',
        tags: ['admin'],
        summary: '工作室星级：当前星级、按指标评定的结果、人工调整与变更记录',
        security,
        params: IdParams,
        response: { 200: StudioStars, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => getStudioStars(app.models, request.params.id),
  );

  app.post(
    '/admin/studios/:id/star',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminOverrideStudioStar',
        tags: ['admin'],
        summary: '人工调整工作室星级（须填写理由）；star 为 null 时取消调整，恢复按指标评定的星级',
        security,
        params: IdParams,
        body: StarOverrideBody,
        response: { 200: StudioStars, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      overrideStar({ models: app.models, redis: app.redis }, request.actor, request.params.id, request.body),
  );

  app.post(
    '/admin/stars/recompute',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminRecomputeStars',
        tags: ['admin'],
        summary: '立即重新评定所有工作室的星级（由后台任务执行，与每晚的评定相同）',
        security,
        response: { 202: StarRecomputeResponse, ...errorResponses(401, 403, 503) },
      },
    },
    async (request, reply) => {
      const queued = await requestStarRatings(app.queues);
      if (!queued) throw new AppError('SERVICE_UNAVAILABLE', { logMessage: 'star job not queued' });
      return reply.status(202).send({ queued });
    },
  );
};

export default starRoutes;
