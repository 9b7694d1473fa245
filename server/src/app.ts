import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DestinationStream } from 'pino';
import type { Config } from './config';
import { loggerOptions } from './logger';
import errorsPlugin from './plugins/errors';
import { installEmptyPatchGuard, installValidators } from './plugins/validation';
import { frameworkErrorHandler, installTextIntegrity } from './plugins/text-integrity';
import swaggerPlugin from './plugins/swagger';
import redisPlugin from './plugins/redis';
import mongoPlugin from './plugins/mongo';
import authPlugin from './plugins/auth';
import fieldCipherPlugin from './plugins/field-cipher';
import wechatPlugin from './wechat/plugin';
import wechatPushRoutes from './modules/media-check/routes';
import healthRoutes from './modules/health/routes';
import authRoutes from './modules/auth/routes';
import studioRoutes from './modules/studios/routes';
import adminStudioRoutes from './modules/studios/admin-routes';
import calendarRoutes from './modules/calendar/routes';
import cannedReplyRoutes from './modules/canned-replies/routes';
import adminMemberRoutes from './modules/members/admin-routes';
import inviteRoutes from './modules/invites/routes';
import uploadsPlugin from './modules/uploads/plugin';
import uploadRoutes from './modules/uploads/routes';
import multipart from '@fastify/multipart';
import { UPLOAD_MAX_BYTES } from '@mashangshang/shared';
import path from 'node:path';
import ticketRoutes from './modules/tickets/routes';
import rateLimitPlugin from './plugins/rate-limit';
import queuesPlugin from './plugins/queues';
import queueBoardPlugin from './plugins/queue-board';
import notificationRoutes from './modules/notifications/routes';
import h5App, { DEFAULT_H5_DIR } from './plugins/h5-app';
import operationsRoutes from './modules/operations';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export interface BuildOptions {
  /** Where log lines go (tests capture them to check what is never logged). */
  logStream?: DestinationStream;
  /** The H5 build served under /app/ (default: miniprogram/dist/h5, when built). */
  h5Dir?: string;
}

/** JSON bodies are small: the largest is a ticket of 2000 characters. Images go through uploads. */
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the API: external plugins, then app plugins (database, Redis, auth, services), then routes.
 * Nothing listens here and importing this file has no side effects.
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.env === 'production',
    requestIdHeader: 'x-request-id',
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Only JSON (and multipart for uploads) is accepted: text/plain gets 415 like any other type.
  app.removeContentTypeParser('text/plain');

  installValidators(app);
  installTextIntegrity(app);
  installEmptyPatchGuard(app);
  await app.register(errorsPlugin);
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : config.env !== 'production',
    credentials: false,
  });
  await app.register(swaggerPlugin);
  await app.register(multipart, {
    limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 5, parts: 6 },
    throwFileSizeLimit: true,
  });

  app.decorate('config', config);
  await app.register(redisPlugin, { url: config.redisUrl });
  await app.register(rateLimitPlugin, { globalPerMinute: config.rateLimits.globalPerMinute });
  await app.register(mongoPlugin, { uri: config.mongodbUri });
  await app.register(authPlugin, { secret: config.jwtSecret, ttlSeconds: config.jwtTtlSeconds });
  await app.register(wechatPlugin, { wechat: config.wechat });
  await app.register(uploadsPlugin, { rootDir: path.join(config.dataDir, 'uploads'), secret: config.jwtSecret });
  await app.register(fieldCipherPlugin, { key: config.phoneEncryptionKey });
  await app.register(queuesPlugin, {
    redisUrl: config.redisUrl,
    sendAttempts: config.notifications.sendAttempts,
    backoffMs: config.notifications.backoffMs,
  });

  await app.register(healthRoutes);
  await app.register(queueBoardPlugin);
  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(studioRoutes);
      await api.register(adminStudioRoutes);
      await api.register(calendarRoutes);
      await api.register(cannedReplyRoutes);
      await api.register(adminMemberRoutes);
      await api.register(inviteRoutes);
      await api.register(uploadRoutes);
      await api.register(ticketRoutes);
      await api.register(notificationRoutes);
      await api.register(operationsRoutes);
      await api.register(wechatPushRoutes);
    },
    { prefix: '/api/v1' },
  );
  await app.register(h5App, { root: options.h5Dir ?? DEFAULT_H5_DIR });

  return app;
}
