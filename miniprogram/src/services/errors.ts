import { ERROR_MESSAGES, errorMessage } from '@mashangshang/shared';

/** What the request wrapper shows the user for a failed call: always Chinese, never a stack. */
export function toastTextFor(failure: { statusCode?: number; body?: unknown; networkError?: boolean }): string {
  if (failure.networkError) return '网络连接失败，请检查网络后重试';
  const body = failure.body as { code?: unknown; message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && /[\u4e00-\u9fa5]/.test(body.message)) return body.message;
  if (body && typeof body.code === 'string') return errorMessage(body.code);
  if (failure.statusCode === 401) return ERROR_MESSAGES.UNAUTHORIZED;
  if (failure.statusCode === 429) return ERROR_MESSAGES.RATE_LIMITED;
  if (failure.statusCode && failure.statusCode >= 500) return ERROR_MESSAGES.SERVICE_UNAVAILABLE;
  return ERROR_MESSAGES.INTERNAL_ERROR;
}
