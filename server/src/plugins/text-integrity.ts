import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_MESSAGES } from '@mashangshang/shared';
import { AppError } from '../errors';

/** A lone UTF-16 surrogate, or U+FFFD (what invalid UTF-8 bytes decode to). */
const BROKEN_TEXT = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\ufffd/;

function hasBrokenText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return BROKEN_TEXT.test(value);
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.values(value as Record<string, unknown>).some((v) => hasBrokenText(v, depth + 1));
}

/**
 * Text that is not valid Unicode would be stored as U+FFFD and shown to members as garbage:
 * refuse it with a 400 instead of silently changing what the resident wrote.
 */
export function installTextIntegrity(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (hasBrokenText(request.body) || hasBrokenText(request.query)) {
      throw new AppError('VALIDATION_FAILED', {
        logMessage: 'invalid unicode in input',
        userMessage: '提交的内容包含无法识别的字符，请删除后重试',
      });
    }
  });
}

/**
 * Errors Fastify raises before routing (a malformed %-escape, an overlong path parameter) get the
 * API's error shape too, instead of Fastify's own.
 */
export function frameworkErrorHandler(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) {
  request.log.info({ code: error.code }, 'request rejected before routing');
  return reply.status(400).send({
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    error: 'Bad Request',
    message: ERROR_MESSAGES.VALIDATION_FAILED,
  });
}
