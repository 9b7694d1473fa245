import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_MESSAGES, type ErrorCode } from '@mashangshang/shared';
import { AppError } from '../errors';
import { STATUS_CODES } from 'node:http';

const STATUS_TO_CODE: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Errors that mean a dependency (database, Redis) is down: the client should retry later. */
export function isDependencyDown(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.name;
  if (/^Mongo(ServerSelection|Network|NotConnected|Topology)/.test(name)) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  return /enableOfflineQueue|Connection is closed|ECONNREFUSED|Client must be connected/i.test(error.message);
}

function toAppError(error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError;
  if (fe.validation) {
    const first = fe.validation[0];
    const field = first?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || first?.params?.missingProperty;
    return new AppError('VALIDATION_FAILED', {
      logMessage: fe.message,
      userMessage: field ? `${ERROR_MESSAGES.VALIDATION_FAILED}（${String(field)}）` : ERROR_MESSAGES.VALIDATION_FAILED,
    });
  }
  if (fe.code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED')
    return new AppError('TOKEN_EXPIRED', { logMessage: fe.message });
  if (typeof fe.code === 'string' && fe.code.startsWith('FST_JWT_'))
    return new AppError('UNAUTHORIZED', { logMessage: fe.message });
  if (isDependencyDown(error)) return new AppError('SERVICE_UNAVAILABLE', { logMessage: error.message, cause: error });
  const status = fe.statusCode;
  if (status && status >= 400 && status < 500) {
    const code = STATUS_TO_CODE[status] ?? 'VALIDATION_FAILED';
    return new AppError(code, { statusCode: status, logMessage: fe.message });
  }
  return new AppError('INTERNAL_ERROR', { logMessage: error.message, cause: error });
}

/** One handler turns every error into the API's shape; 5xx details stay in the log. */
export default fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const appError = toAppError(error);
      if (appError.statusCode >= 500) {
        request.log.error({ err: error, code: appError.code }, 'request failed');
      } else {
        request.log.info({ code: appError.code, reason: appError.message }, 'request rejected');
      }
      if (appError.statusCode === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
      return reply.status(appError.statusCode).send({
        statusCode: appError.statusCode,
        code: appError.code,
        error: STATUS_CODES[appError.statusCode] ?? 'Error',
        message: appError.userMessage,
      });
    });

    app.setNotFoundHandler((request, reply) => {
      return reply.status(404).send({
        statusCode: 404,
        code: 'ROUTE_NOT_FOUND',
        error: 'Not Found',
        message: ERROR_MESSAGES.ROUTE_NOT_FOUND,
      });
    });
  },
  { name: 'errors' },
);
