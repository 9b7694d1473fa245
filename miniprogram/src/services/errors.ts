import { ERROR_MESSAGES, errorMessage } from '@mashangshang/shared';

/** The `code` and `message` of an error body in the API's shape, when it has them. */
export function errorFieldsOf(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const code = 'code' in body && typeof body.code === 'string' ? body.code : undefined;
  const message = 'message' in body && typeof body.message === 'string' ? body.message : undefined;
  return { code, message };
}

/** What the request wrapper shows the user for a failed call: always Chinese, never a stack. */
export function toastTextFor(failure: { statusCode?: number; body?: unknown; networkError?: boolean }): string {
  if (failure.networkError) return '网络连接失败，请检查网络后重试';
  const { code, message } = errorFieldsOf(failure.body);
  if (message && /[\u4e00-\u9fa5]/.test(message)) return message;
  if (code) return errorMessage(code);
  if (failure.statusCode === 401) return ERROR_MESSAGES.UNAUTHORIZED;
  if (failure.statusCode === 429) return ERROR_MESSAGES.RATE_LIMITED;
  if (failure.statusCode && failure.statusCode >= 500) return ERROR_MESSAGES.SERVICE_UNAVAILABLE;
  return ERROR_MESSAGES.INTERNAL_ERROR;
}
