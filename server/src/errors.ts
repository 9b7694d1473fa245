import { ERROR_MESSAGES, type ErrorCode } from '@mashangshang/shared';

const DEFAULT_STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  BAD_CREDENTIALS: 401,
  WECHAT_CODE_INVALID: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  STUDIO_NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  WECHAT_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

/**
 * The one error type services throw. `code` is stable for machines, the Chinese message comes
 * from `shared`, and `logMessage` (English) is for operators only and never reaches the client.
 */
export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    options: { statusCode?: number; logMessage?: string; userMessage?: string; cause?: unknown } = {},
  ) {
    super(options.logMessage ?? code, { cause: options.cause });
    this.name = 'AppError';
    this.statusCode = options.statusCode ?? DEFAULT_STATUS[code] ?? 500;
    this.userMessage = options.userMessage ?? ERROR_MESSAGES[code];
  }

  readonly userMessage: string;
}
