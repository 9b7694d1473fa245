import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CannedReply,
  CannedReplyCreateBody,
  CannedReplyList,
  CannedReplyListQuery,
  CannedReplyPatchBody,
  IdParams,
  errorResponses,
} from '@mashangshang/shared';
import {
  countCannedReplyUse,
  createCannedReply,
  deleteCannedReply,
  listCannedReplies,
  updateCannedReply,
} from './service';

const security = [{ bearerAuth: [] }];

/** 常用回复: kept by admins (office-wide and any studio's) and a studio's lead members; used by members. */
const cannedReplyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/canned-replies',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'listCannedReplies',
        tags: ['tickets'],
        summary: '常用回复：全局的与某工作室的，常用的在前（委员限本工作室）',
        security,
        querystring: CannedReplyListQuery,
        response: { 200: CannedReplyList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => listCannedReplies(app.models, request.actor, request.query.studioId),
  );

  app.post(
    '/canned-replies',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'createCannedReply',
        tags: ['tickets'],
        summary: '新增常用回复（管理员：全局或任一工作室；工作室负责委员：本工作室）',
        security,
        body: CannedReplyCreateBody,
        response: { 201: CannedReply, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => reply.status(201).send(await createCannedReply(app.models, request.actor, request.body)),
  );

  app.patch(
    '/canned-replies/:id',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'updateCannedReply',
        tags: ['tickets'],
        summary: '修改常用回复',
        security,
        params: IdParams,
        body: CannedReplyPatchBody,
        response: { 200: CannedReply, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => updateCannedReply(app.models, request.actor, request.params.id, request.body),
  );

  app.delete(
    '/canned-replies/:id',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'deleteCannedReply',
        tags: ['tickets'],
        summary: '删除常用回复',
        security,
        params: IdParams,
        response: { 204: Type.Null({ description: '已删除' }), ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await deleteCannedReply(app.models, request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/canned-replies/:id/uses',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'useCannedReply',
        tags: ['tickets'],
        summary: '记一次使用（插入到回复框时调用），常用的排在前面',
        security,
        params: IdParams,
        response: { 200: CannedReply, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => countCannedReplyUse(app.models, request.actor, request.params.id),
  );
};

export default cannedReplyRoutes;
