import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthResponse, BindBody, IdParams, InviteResponse, errorResponses } from '@mashangshang/shared';
import { bindWithInvite, createInvite } from './service';

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
