import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthResponse, PasswordLoginBody, WechatLoginBody, errorResponses } from '@mashangshang/shared';
import { Type } from '@sinclair/typebox';
import { loginWithPassword, loginWithWechat, sessionFor } from './service';

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** Sign-ins per client IP: slows down guessing passwords and replaying codes. */
  const loginLimit = { rateLimit: { max: app.config.rateLimits.loginPerMinute, timeWindow: '1 minute' } };

  app.post(
    '/auth/wechat',
    {
      config: loginLimit,
      schema: {
        operationId: 'loginWithWechat',
        tags: ['auth'],
        summary: '微信登录：用 wx.login 的 code 换取本系统的令牌',
        security: [],
        body: WechatLoginBody,
        response: { 200: AuthResponse, ...errorResponses(400, 401, 429, 503) },
      },
    },
    async (request) => {
      const user = await loginWithWechat(app.models, app.wechat, request.body.code);
      return { token: app.signToken({ sub: user.id, role: user.role }), user };
    },
  );

  app.post(
    '/auth/password',
    {
      config: loginLimit,
      schema: {
        operationId: 'loginWithPassword',
        tags: ['auth'],
        summary: '管理员用户名密码登录（网页管理后台）',
        security: [],
        body: PasswordLoginBody,
        response: { 200: AuthResponse, ...errorResponses(400, 401, 429, 503) },
      },
    },
    async (request) => {
      const user = await loginWithPassword(app.models, request.body.username, request.body.password);
      return { token: app.signToken({ sub: user.id, role: user.role }), user };
    },
  );

  app.post(
    '/auth/logout',
    {
      preHandler: app.requireRole('resident', 'member', 'admin'),
      schema: {
        operationId: 'logout',
        tags: ['auth'],
        summary: '退出登录：当前令牌立即失效',
        security: [{ bearerAuth: [] }],
        response: { 204: Type.Null(), ...errorResponses(401, 503) },
      },
    },
    async (request, reply) => {
      await app.revokeToken(request.user);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/refresh',
    {
      preHandler: app.requireRole('resident', 'member', 'admin'),
      schema: {
        operationId: 'refreshToken',
        tags: ['auth'],
        summary: '换取新的令牌（旧令牌随即失效）',
        security: [{ bearerAuth: [] }],
        response: { 200: AuthResponse, ...errorResponses(401, 503) },
      },
    },
    async (request) => {
      const user = sessionFor(request.actor);
      await app.revokeToken(request.user);
      return { token: app.signToken({ sub: user.id, role: user.role }), user };
    },
  );
};

export default authRoutes;
