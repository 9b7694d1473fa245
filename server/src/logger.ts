import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config';

/**
 * Paths that may hold secrets or personal data. pino replaces them before a line is written,
 * so no openid, phone number, token or ticket text ever reaches a log.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.openid',
  '*.unionid',
  '*.session_key',
  '*.sessionKey',
  '*.token',
  '*.access_token',
  '*.password',
  '*.secret',
  '*.phone',
  '*.contactPhone',
  '*.content',
  '*.js_code',
  '*.code',
];

export function loggerOptions(config: Config, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // Log the path only: query strings may carry codes or search text.
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        url: req.url.split('?')[0],
        ip: req.ip,
      }),
    },
    ...(stream ? { stream } : {}),
  };
}
