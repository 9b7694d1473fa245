import { toastTextFor } from './errors';

/**
 * The transport-independent core of the API client: token header, query strings, one silent
 * re-sign-in and repeat on 401, a retry after a network failure for idempotent calls, and every
 * failure turned into an ApiError with a Chinese message (shown as a toast unless `silent`).
 * api.ts binds it to Taro.request; tests bind it to a fake transport.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  url: string;
  method: HttpMethod;
  data?: unknown;
  header: Record<string, string>;
}

export interface HttpResponse {
  statusCode: number;
  data: unknown;
}

/** Resolves with any HTTP answer; rejects only when no answer came (offline, timeout). */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly code: string,
    readonly networkError = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientDeps {
  baseUrl: string;
  transport: Transport;
  getToken(): string | null;
  /** A fresh token after a 401, or null when the user has to sign in by hand. */
  reauthenticate(): Promise<string | null>;
  showError(text: string): void;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface CallOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** false for the sign-in calls themselves. */
  auth?: boolean;
  /** No toast: the caller shows the problem its own way. */
  silent?: boolean;
  /** Extra attempts after a network failure (default: 1 for GET and for calls with an Idempotency-Key). */
  networkRetries?: number;
}

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export function createClient(deps: ClientDeps) {
  let reauthInFlight: Promise<string | null> | null = null;
  // Several calls failing with 401 at once share one sign-in.
  const reauthOnce = () => {
    reauthInFlight ??= deps.reauthenticate().finally(() => {
      reauthInFlight = null;
    });
    return reauthInFlight;
  };

  async function send(method: HttpMethod, path: string, options: CallOptions, token: string | null): Promise<HttpResponse> {
    const header: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.body !== undefined) header['Content-Type'] = 'application/json';
    if (token) header.Authorization = `Bearer ${token}`;
    const request: HttpRequest = { url: `${deps.baseUrl}${path}${queryString(options.query)}`, method, header, data: options.body };
    const idempotent = method === 'GET' || Boolean(options.headers?.['Idempotency-Key']);
    let retries = options.networkRetries ?? (idempotent ? 1 : 0);
    for (;;) {
      try {
        return await deps.transport(request);
      } catch (error) {
        if (retries-- <= 0) throw error;
      }
    }
  }

  function fail(options: CallOptions, error: ApiError): never {
    if (!options.silent) deps.showError(error.message);
    throw error;
  }

  async function call<T>(method: HttpMethod, path: string, options: CallOptions = {}): Promise<T> {
    const useAuth = options.auth !== false;
    let token = useAuth ? deps.getToken() : null;
    let response: HttpResponse;
    try {
      response = await send(method, path, options, token);
      if (response.statusCode === 401 && useAuth) {
        token = await reauthOnce().catch(() => null);
        if (token) response = await send(method, path, options, token);
      }
    } catch {
      return fail(options, new ApiError(toastTextFor({ networkError: true }), 0, 'NETWORK_ERROR', true));
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response.data as T;
    const body = response.data as { code?: unknown } | undefined;
    const code = body && typeof body.code === 'string' ? body.code : `HTTP_${response.statusCode}`;
    return fail(options, new ApiError(toastTextFor({ statusCode: response.statusCode, body: response.data }), response.statusCode, code));
  }

  return { call };
}

export type ApiClient = ReturnType<typeof createClient>;
