import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  FailedNoticeList,
  IdParams,
  MarkReadBody,
  MarkReadResponse,
  NotificationList,
  NotificationListQuery,
  PageQuery,
  SubscriptionsBody,
  SubscriptionsResponse,
  errorResponses,
} from '@mashangshang/shared';
import { recordConsents, subscriptionsOf } from './consents';
import { listFailedNotices, listNotifications, markRead, resetFailedNotice } from './service';
import { withDocumentLock } from '../../lib/document-lock';
import { AppError } from '../../errors';

const security = [{ bearerAuth: [] }];

const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/me/subscriptions',
    {
      preHandler: app.requireRole('resident', 'member'),
      schema: {
        operationId: 'recordSubscriptions',
        tags: ['notifications'],
        summary: '记录用户在 wx.requestSubscribeMessage 中同意的订阅消息（每次同意可发送一次）',
        security,
        body: SubscriptionsBody,
        response: { 200: SubscriptionsResponse, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) =>
      recordConsents(
        app.models,
        app.redis,
        request.actor.id,
        request.body.accepted,
        app.config.notifications.longTermTemplates,
      ),
  );

  app.get(
    '/me/subscriptions',
    {
      preHandler: app.requireRole('resident', 'member'),
      schema: {
        operationId: 'getSubscriptions',
        tags: ['notifications'],
        summary: '订阅消息状态：每个模板是长期还是一次性订阅、剩余次数，以及下一条通知能否送达微信',
        security,
        response: { 200: SubscriptionsResponse, ...errorResponses(401, 403, 503) },
      },
    },
    async (request) => subscriptionsOf(app.models, request.actor.id, app.config.notifications.longTermTemplates),
  );

  app.get(
    '/me/notifications',
    {
      preHandler: app.requireRole('resident', 'member', 'admin'),
      schema: {
        operationId: 'listMyNotifications',
        tags: ['notifications'],
        summary: '站内消息列表与未读数（微信消息未送达时也能在这里看到）',
        security,
        querystring: NotificationListQuery,
        response: { 200: NotificationList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => listNotifications(app.models, request.actor, request.query),
  );

  app.post(
    '/me/notifications/read',
    {
      preHandler: app.requireRole('resident', 'member', 'admin'),
      schema: {
        operationId: 'markNotificationsRead',
        tags: ['notifications'],
        summary: '标记站内消息为已读',
        security,
        body: MarkReadBody,
        response: { 200: MarkReadResponse, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => markRead(app.models, request.actor, request.body),
  );

  app.get(
    '/admin/notifications/failed',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'listFailedNotifications',
        tags: ['admin'],
        summary: '发送失败（重试用尽）的微信通知',
        security,
        querystring: Type.Composite([PageQuery], { additionalProperties: false }),
        response: { 200: FailedNoticeList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => listFailedNotices(app.models, request.query),
  );

  app.post(
    '/admin/notifications/:id/retry',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'retryFailedNotification',
        tags: ['admin'],
        summary: '重新发送一条失败的微信通知',
        security,
        params: IdParams,
        response: { 202: Type.Object({ queued: Type.Boolean() }), ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const failed = await app.models.Notification.findOne(
        { _id: request.params.id, 'wechat.state': 'failed' },
        { ticketId: 1 },
      ).lean();
      if (!failed) throw new AppError('NOT_FOUND', { logMessage: 'no failed notice with that id' });
      // Notices of a ticket are written under the ticket's lock, by the worker too.
      const notice = await withDocumentLock(app.redis, `ticket:${String(failed.ticketId)}`, () =>
        resetFailedNotice(app.models, request.params.id),
      );
      await app.queues.notify.add(
        'notify',
        { ticketId: String(notice.ticketId), noticeId: String(notice._id) },
        { jobId: `${String(notice._id)}-retry-${Date.now()}` },
      );
      return reply.status(202).send({ queued: true });
    },
  );
};

export default notificationRoutes;
