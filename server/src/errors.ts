import { ERROR_MESSAGES, type ErrorCode } from '@mashangshang/shared';

/** Every code has its HTTP status here, so a new code cannot silently become a 500. */
const DEFAULT_STATUS: Record<ErrorCode, number> = {
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
  STUDIO_CODE_TAKEN: 409,
  MEMBER_NOT_FOUND: 404,
  MEMBER_INACTIVE: 409,
  MEMBER_ALREADY_BOUND: 409,
  ACCOUNT_ALREADY_BOUND: 409,
  INVITE_INVALID: 400,
  INVITE_NOT_FOUND: 404,
  INVITE_NOT_PENDING: 409,
  TICKET_NOT_FOUND: 404,
  CONTENT_RISKY: 400,
  CONTENT_TOO_SHORT: 400,
  TICKET_RESOLVED: 409,
  TICKET_NOT_ANSWERED: 409,
  TICKET_NOT_RESOLVED: 409,
  ALREADY_RATED: 409,
  REOPEN_WINDOW_PASSED: 409,
  MEMBER_NOT_AVAILABLE: 400,
  IMAGES_INVALID: 400,
  UPLOAD_TYPE_NOT_ALLOWED: 415,
  UPLOAD_TOO_LARGE: 413,
  UPLOAD_FILE_MISSING: 400,
  UPLOAD_TOO_MANY_FILES: 400,
  STATS_NOT_READY: 503,
  FOLLOW_UP_NOT_ASKED: 409,
  FOLLOW_UP_ANSWERED: 409,
  TICKET_WAITING: 409,
  INFO_NOT_REQUESTED: 409,
  POSTER_FONT_MISSING: 503,
  PUSH_SIGNATURE_INVALID: 403,
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
    this.statusCode = options.statusCode ?? DEFAULT_STATUS[code];
    this.userMessage = options.userMessage ?? ERROR_MESSAGES[code];
  }

  readonly userMessage: string;
}
