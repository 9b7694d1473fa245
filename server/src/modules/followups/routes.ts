import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FollowUpBody, IdParams, TicketDetail, errorResponses } from '@mashangshang/shared';
import { signUploadUrl } from '../../lib/upload-signing';
import { studioNameMap } from '../tickets/service';
import { toDetail } from '../tickets/views';
import { imageChecks } from '../media-check/service';
import { answerFollowUp } from './service';

/** 回头看: the resident answers the follow-up question on their ticket. */
const followUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/tickets/:id/follow-up',
    {
      preHandler: app.requireRole('resident'),
      schema: {
        operationId: 'answerFollowUp',
        tags: ['tickets'],
        summary: '群众回复“回头看”回访：问题是否真正解决；未解决时留言退回工作室重新办理（不受 7 天限制）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        body: FollowUpBody,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const deps = { models: app.models, redis: app.redis, queues: app.queues, config: app.config, log: request.log };
      const ticket = await answerFollowUp(deps, request.actor, id, request.body);
      const names = await studioNameMap(app.models, [ticket.studioId]);
      return toDetail(ticket, request.actor, {
        studioName: names.get(String(ticket.studioId)) ?? '',
        cipher: app.fieldCipher,
        imageUrl: (uploadId) => signUploadUrl(app.config.jwtSecret, uploadId),
        imageChecks: await imageChecks(app.models, ticket.imageIds),
      });
    },
  );
};

export default followUpRoutes;
