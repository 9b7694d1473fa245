import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';

/**
 * Rate limits counted in Redis, so every API process shares them. Routes opt in with
 * `config.rateLimit`; a global per-IP ceiling covers the rest. While Redis is down limits are
 * skipped rather than failing requests: accepting a resident's ticket matters more.
 */
export default fp(
  async function rateLimitPlugin(app: FastifyInstance, opts: { globalPerMinute: number }) {
    await app.register(rateLimit, {
      global: true,
      max: opts.globalPerMinute,
      timeWindow: '1 minute',
      redis: app.redis,
      nameSpace: 'rl:',
      skipOnError: true,
      allowList: (request) => request.url === '/healthz' || request.url === '/readyz',
      errorResponseBuilder: (_request, context) =>
        new AppError('RATE_LIMITED', { logMessage: `rate limit of ${context.max} per ${context.after} reached` }),
    });
  },
  { name: 'rate-limit', dependencies: ['redis'] },
);
