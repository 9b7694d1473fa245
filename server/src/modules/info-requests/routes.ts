import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { IdParams, InfoRequestBody, InfoSupplyBody, TicketDetail, errorResponses } from '@mashangshang/shared';
import type { TicketDoc } from '../../models/tickets';
import { signUploadUrl } from '../../lib/upload-signing';
import { studioNameMap } from '../tickets/service';
import { toDetail } from '../tickets/views';
import { imageChecks } from '../media-check/service';
import { requestInfo, supplyInfo } from './service';

const security = [{ bearerAuth: [] }];

/** 待补充: a member asks the resident for more information; the resident answers. */
const infoRequestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (request: FastifyRequest) => ({
    models: app.models,
    redis: app.redis,
    queues: app.queues,
    config: app.config,
    log: request.log,
  });
  const detailFor = async (request: FastifyRequest, ticket: TicketDoc) => {
    const names = await studioNameMap(app.models, [ticket.studioId]);
    return toDetail(ticket, request.actor, {
      studioName: names.get(String(ticket.studioId)) ?? '',
      cipher: app.fieldCipher,
      imageUrl: (uploadId) => signUploadUrl(app.config.jwtSecret, uploadId),
      imageChecks: await imageChecks(app.models, ticket.imageIds),
    });
  };

  app.post(
    '/tickets/:id/info-request',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'requestTicketInfo',
        tags: ['tickets'],
        summary: '请群众补充信息（待补充）：答复时限暂停，群众补充后继续计时；逾期未补充按“未补充”办结',
        security,
        params: IdParams,
        body: InfoRequestBody,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      detailFor(request, await requestInfo(deps(request), request.actor, request.params.id, request.body)),
  );

  app.post(
    '/tickets/:id/info',
    {
      preHandler: app.requireRole('resident'),
      schema: {
        operationId: 'supplyTicketInfo',
        tags: ['tickets'],
        summary: '群众补充工作室所需的信息，留言恢复办理',
        security,
        params: IdParams,
        body: InfoSupplyBody,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      detailFor(request, await supplyInfo(deps(request), request.actor, request.params.id, request.body)),
  );
};

export default infoRequestRoutes;
