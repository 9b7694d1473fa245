import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  IdParams,
  ImageCheckDecisionBody,
  ImageCheckResponse,
  WechatPushBody,
  WechatPushQuery,
  errorResponses,
} from '@mashangshang/shared';
import { Types } from 'mongoose';
import { AppError } from '../../errors';
import { SUBSCRIBE_EVENTS, handleSubscribeEvent } from '../notifications/subscribe-events';
import { claimPushNonce, decideMediaCheck, recordMediaCheckResult, verifyPushSignature } from './service';

/** A push is a small JSON event; anything larger is not WeChat. */
const isSubscribeEvent = (name: string | undefined): name is (typeof SUBSCRIBE_EVENTS)[number] =>
  (SUBSCRIBE_EVENTS as readonly (string | undefined)[]).includes(name);

const PUSH_BODY_LIMIT = 64 * 1024;

/**
 * WeChat's message push (configured in the mini-program console as this URL, Token =
 * WECHAT_PUSH_TOKEN, plaintext mode, JSON). No user token: the signature is the authentication.
 */
const wechatPushRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const badSignature = () =>
    new AppError('PUSH_SIGNATURE_INVALID', { logMessage: 'wechat push signature invalid, stale or replayed' });

  app.get(
    '/wechat/push',
    {
      schema: {
        operationId: 'verifyWechatPush',
        tags: ['wechat'],
        summary: '微信消息推送的服务器地址校验（原样返回 echostr）',
        querystring: WechatPushQuery,
        security: [],
        response: { 200: Type.String(), ...errorResponses(400, 403) },
      },
    },
    async (request, reply) => {
      const { echostr } = request.query;
      if (!echostr || !verifyPushSignature(app.config.wechat.pushToken, request.query)) throw badSignature();
      return reply.type('text/plain; charset=utf-8').send(echostr);
    },
  );

  app.post(
    '/wechat/push',
    {
      bodyLimit: PUSH_BODY_LIMIT,
      schema: {
        operationId: 'receiveWechatPush',
        tags: ['wechat'],
        summary: '接收微信消息推送：图片内容安全检测结果（wxa_media_check）与订阅消息的同意、拒绝和发送结果事件',
        querystring: WechatPushQuery,
        body: WechatPushBody,
        security: [],
        response: { 200: Type.String(), ...errorResponses(400, 403, 413, 503) },
      },
    },
    async (request, reply) => {
      const query = request.query;
      if (!verifyPushSignature(app.config.wechat.pushToken, query)) throw badSignature();
      if (!(await claimPushNonce(app.redis, query.timestamp, query.nonce))) throw badSignature();
      const event = request.body;
      if (event.MsgType === 'event' && event.Event === 'wxa_media_check' && event.trace_id) {
        const outcome = await recordMediaCheckResult(
          {
            models: app.models,
            redis: app.redis,
            queues: app.queues,
            wechat: app.wechat,
            config: app.config,
            log: request.log,
          },
          { traceId: event.trace_id, errcode: event.errcode ?? 0, suggest: event.result?.suggest },
        );
        request.log.info({ event: event.Event, outcome }, 'wechat push handled');
      } else if (event.MsgType === 'event' && isSubscribeEvent(event.Event)) {
        const deps = { models: app.models, redis: app.redis, config: app.config, log: request.log };
        const outcome = await handleSubscribeEvent(deps, event.Event, event.FromUserName, event.List);
        request.log.info({ event: event.Event, outcome }, 'wechat push handled');
      } else {
        request.log.info({ msgType: event.MsgType, event: event.Event ?? null }, 'wechat push ignored');
      }
      // WeChat retries a push three times unless it gets "success" (or an empty body).
      return reply.type('text/plain; charset=utf-8').send('success');
    },
  );

  app.post(
    '/admin/uploads/:id/check',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'decideImageCheck',
        tags: ['uploads'],
        summary: '管理员人工复核图片：可以展示给委员，或不予展示（覆盖微信内容安全检测结果）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        body: ImageCheckDecisionBody,
        response: { 200: ImageCheckResponse, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const state = await decideMediaCheck(
        { models: app.models, redis: app.redis, queues: app.queues, config: app.config, log: request.log },
        new Types.ObjectId(id),
        request.body.verdict,
        request.actor,
      );
      if (!state) throw new AppError('NOT_FOUND', { logMessage: 'no upload with this id' });
      request.log.info({ uploadId: id, verdict: state }, 'image check decided by an admin');
      return { id, check: state };
    },
  );
};

export default wechatPushRoutes;
