import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  AssignBody,
  IdParams,
  IdempotencyHeaders,
  OptionalIdempotencyHeaders,
  ModerationBody,
  RatingBody,
  ReopenBody,
  ReplyBody,
  ResolveBody,
  SubmitTicketBody,
  SubmitTicketResponse,
  TicketDetail,
  SimilarTicketList,
  TicketList,
  TicketListQuery,
  errorResponses,
} from '@mashangshang/shared';
import { signUploadUrl } from '../../lib/upload-signing';
import type { TicketDoc } from '../../models/tickets';
import {
  addReply,
  assignTicket,
  getVisibleTicket,
  listTickets,
  moderateTicket,
  rateTicket,
  reopenTicket,
  resolveTicket,
  studioNameMap,
  submitTicket,
  type TicketDeps,
} from './service';
import { toDetail } from './views';
import { similarTickets } from './similar';
import { imageChecks } from '../media-check/service';

const security = [{ bearerAuth: [] }];

const ticketRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (request: FastifyRequest): TicketDeps => ({
    models: app.models,
    redis: app.redis,
    queues: app.queues,
    config: app.config,
    wechat: app.wechat,
    cipher: app.fieldCipher,
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
    '/tickets',
    {
      preHandler: app.requireRole('resident'),
      config: {
        rateLimit: {
          max: app.config.rateLimits.submitPerHour,
          timeWindow: '1 hour',
          // After the auth preHandler, so the limit is per resident, not per shared IP.
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => `submit:${String(request.actor?.id ?? request.ip)}`,
        },
      },
      schema: {
        operationId: 'submitTicket',
        tags: ['tickets'],
        summary: '群众提交留言（咨询、建议、求助）；相同 Idempotency-Key 只生成一条',
        security,
        headers: IdempotencyHeaders,
        body: SubmitTicketBody,
        response: {
          200: SubmitTicketResponse,
          201: SubmitTicketResponse,
          ...errorResponses(400, 401, 403, 404, 413, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const { ticket, created } = await submitTicket(
        deps(request),
        request.actor,
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.status(created ? 201 : 200).send({
        id: String(ticket._id),
        no: ticket.no,
        status: ticket.status,
        assignee: ticket.assigneeId ? { id: String(ticket.assigneeId), name: ticket.assigneeName ?? '' } : null,
        dueAt: ticket.dueAt.toISOString(),
        createdAt: ticket.createdAt.toISOString(),
      });
    },
  );

  app.get(
    '/tickets',
    {
      preHandler: app.requireRole('resident', 'member', 'admin'),
      schema: {
        operationId: 'listTickets',
        tags: ['tickets'],
        summary: '留言列表：群众看自己的，委员看所在工作室的，管理员看全部',
        security,
        querystring: TicketListQuery,
        response: { 200: TicketList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => listTickets(app.models, request.actor, request.query),
  );

  app.get(
    '/tickets/:id',
    {
      preHandler: app.requireRole('resident', 'member', 'admin'),
      schema: {
        operationId: 'getTicket',
        tags: ['tickets'],
        summary: '留言详情与办理时间线',
        security,
        params: IdParams,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => detailFor(request, await getVisibleTicket(app.models, request.actor, request.params.id)),
  );

  app.get(
    '/tickets/:id/similar',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'similarTickets',
        tags: ['tickets'],
        summary: '相似留言：同一工作室或同镇街近期内容相近的留言（分词与 TF-IDF 相似度），附相似的关键词',
        security,
        params: IdParams,
        response: { 200: SimilarTicketList, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => similarTickets(app.models, request.actor, request.params.id),
  );

  app.post(
    '/tickets/:id/replies',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'replyToTicket',
        tags: ['tickets'],
        summary: '委员回复或添加内部备注；首次公开回复使留言变为“已回复”；带 Idempotency-Key 重发时只记一次（200）',
        security,
        params: IdParams,
        headers: OptionalIdempotencyHeaders,
        body: ReplyBody,
        response: { 200: TicketDetail, 201: TicketDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const { ticket, replayed } = await addReply(
        deps(request),
        request.actor,
        request.params.id,
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.status(replayed ? 200 : 201).send(await detailFor(request, ticket));
    },
  );

  app.post(
    '/tickets/:id/assign',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'assignTicket',
        tags: ['tickets'],
        summary: '转交（委员，限本工作室）或改派（管理员，任意委员）',
        security,
        params: IdParams,
        body: AssignBody,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      detailFor(request, await assignTicket(deps(request), request.actor, request.params.id, request.body)),
  );

  app.post(
    '/tickets/:id/resolve',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'resolveTicket',
        tags: ['tickets'],
        summary: '办结，并标记“三转”去向',
        security,
        params: IdParams,
        body: ResolveBody,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      detailFor(request, await resolveTicket(deps(request), request.actor, request.params.id, request.body)),
  );

  app.post(
    '/tickets/:id/rating',
    {
      preHandler: app.requireRole('resident'),
      schema: {
        operationId: 'rateTicket',
        tags: ['tickets'],
        summary: '群众对答复评价（每条留言一次）',
        security,
        params: IdParams,
        body: RatingBody,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      detailFor(request, await rateTicket(deps(request), request.actor, request.params.id, request.body)),
  );

  app.post(
    '/tickets/:id/reopen',
    {
      preHandler: app.requireRole('resident'),
      schema: {
        operationId: 'reopenTicket',
        tags: ['tickets'],
        summary: '办结 7 天内，群众申请重新办理',
        security,
        params: IdParams,
        body: ReopenBody,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      detailFor(request, await reopenTicket(deps(request), request.actor, request.params.id, request.body)),
  );

  app.post(
    '/tickets/:id/moderation',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'moderateTicket',
        tags: ['tickets'],
        summary: '管理员审核内容待复核的留言：放行给委员，或不予受理',
        security,
        params: IdParams,
        body: ModerationBody,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      detailFor(request, await moderateTicket(deps(request), request.actor, request.params.id, request.body)),
  );
};

export default ticketRoutes;
