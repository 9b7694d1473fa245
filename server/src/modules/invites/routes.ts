import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AdminInvite,
  AdminInviteList,
  AdminInviteListQuery,
  AuthResponse,
  BindBody,
  IdParams,
  InviteResponse,
  errorResponses,
} from '@mashangshang/shared';
import { bindWithInvite, createInvite, listInvites, revokeInvite } from './service';

/** Invites turn a WeChat user into a member: the office makes a code, the member enters it once. */
const inviteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/admin/members/:id/invites',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminCreateMemberInvite',
        tags: ['admin'],
        summary: '为委员生成微信绑定邀请码（7 天内有效，只能使用一次）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 201: InviteResponse, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const invite = await createInvite(app.models, request.params.id, request.actor.id);
      return reply.status(201).send(invite);
    },
  );

  app.get(
    '/admin/invites',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminListInvites',
        tags: ['admin'],
        summary: '某工作室委员的邀请码记录（最新在前；只显示状态，邀请码本身不保存）',
        security: [{ bearerAuth: [] }],
        querystring: AdminInviteListQuery,
        response: { 200: AdminInviteList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => listInvites(app.models, request.query),
  );

  app.post(
    '/admin/invites/:id/revoke',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminRevokeInvite',
        tags: ['admin'],
        summary: '作废一个尚未使用的邀请码',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 200: AdminInvite, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => revokeInvite(app.models, app.redis, request.params.id),
  );

  app.post(
    '/auth/bind',
    {
      preHandler: app.requireRole('resident', 'member'),
      schema: {
        operationId: 'bindMemberWithInvite',
        tags: ['auth'],
        summary: '委员用邀请码绑定本微信，成为委员身份',
        security: [{ bearerAuth: [] }],
        body: BindBody,
        response: { 200: AuthResponse, ...errorResponses(400, 401, 403, 409, 429, 503) },
      },
    },
    async (request) => {
      const user = await bindWithInvite(app.models, app.redis, request.actor, request.body.inviteCode);
      return { token: app.signToken({ sub: user.id, role: 'member' }), user };
    },
  );
};

export default inviteRoutes;
