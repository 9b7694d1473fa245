import { errorFieldsOf, toastTextFor } from '../errors';
import type { Reply, ReplyName } from './replies';

/**
 * The transport-independent core every request passes through (JSON calls, uploads, downloads):
 * base URL and query string, token header, one shared re-sign-in and a repeat after a 401, retries
 * after a network failure for idempotent calls, every failure turned into an ApiError with a
 * Chinese message (a toast unless `silent`). Each call names the schema of its reply (see
 * ./replies.ts), which gives the reply its type and, where `checkReply` is given (development and
 * tests), is checked before the caller sees it. `http/index.ts` binds it to Taro; tests bind it to a
 * fake transport.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  url: string;
  method: HttpMethod;
  data?: object;
  header: Record<string, string>;
}

/** Any HTTP answer: `data` is the parsed JSON body (or the text when it is not JSON). */
export interface HttpResponse {
  statusCode: number;
  data: unknown;
}

export interface UploadRequest {
  url: string;
  filePath: string;
  /** The multipart field the file goes in. */
  field: string;
  header: Record<string, string>;
  onProgress?: (percent: number) => void;
}

export interface DownloadRequest {
  url: string;
  header: Record<string, string>;
}

/** A downloaded file: `filePath` is where it can be opened; `data` the error body when known. */
export interface DownloadResponse extends HttpResponse {
  filePath: string;
}

/** Each call resolves with any HTTP answer and rejects only when no answer came (offline, timeout). */
export interface Transport {
  request(request: HttpRequest): Promise<HttpResponse>;
  upload(request: UploadRequest): Promise<HttpResponse>;
  download(request: DownloadRequest): Promise<DownloadResponse>;
}

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
  /**
   * Whether a 2xx reply matches the schema its call named (./replies.ts `replyMatches`). Left out of
   * production builds: the server writes every reply through the same schema (Fastify's response
   * serializer), and checking it again costs each page TypeBox and every schema (about 30 KiB
   * compressed). Without it, a reply is trusted to be what its schema says.
   */
  checkReply?: (reply: ReplyName, data: unknown) => boolean;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface CallOptions {
  query?: Query;
  headers?: Record<string, string>;
  /** false for the sign-in calls themselves. */
  auth?: boolean;
  /** No toast: the caller shows the problem its own way. */
  silent?: boolean;
  /** Extra attempts after a network failure (default: 1 for JSON GETs and calls with an Idempotency-Key). */
  networkRetries?: number;
}

export interface JsonOptions extends CallOptions {
  body?: object;
}

export interface UploadOptions extends CallOptions {
  field: string;
  onProgress?: (percent: number) => void;
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

  function fail(options: CallOptions, error: ApiError): never {
    if (!options.silent) deps.showError(error.message);
    throw error;
  }

  /**
   * One exchange, whatever its kind: `attempt` sends it with the given headers. Returns a 2xx answer;
   * anything else ends in an ApiError (toasted unless silent).
   */
  async function exchange<R extends HttpResponse>(
    options: CallOptions & { idempotent: boolean },
    attempt: (header: Record<string, string>) => Promise<R>,
  ): Promise<R> {
    const useAuth = options.auth !== false;
    const withRetries = async (token: string | null): Promise<R> => {
      const header: Record<string, string> = { ...(options.headers ?? {}) };
      if (token) header.Authorization = `Bearer ${token}`;
      let retries = options.networkRetries ?? (options.idempotent ? 1 : 0);
      for (;;) {
        try {
          return await attempt(header);
        } catch (error) {
          if (retries-- <= 0) throw error;
        }
      }
    };
    let response: R;
    try {
      response = await withRetries(useAuth ? deps.getToken() : null);
      if (response.statusCode === 401 && useAuth) {
        const token = await reauthOnce().catch(() => null);
        if (token) response = await withRetries(token);
      }
    } catch {
      return fail(options, new ApiError(toastTextFor({ networkError: true }), 0, 'NETWORK_ERROR', true));
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const { statusCode, data } = response;
    const code = errorFieldsOf(data).code ?? `HTTP_${statusCode}`;
    return fail(options, new ApiError(toastTextFor({ statusCode, body: data }), statusCode, code));
  }

  /**
   * The reply as the type of the schema its call named: the one place a reply's type is asserted.
   * Checked first where the client checks replies; one that does not match is a server fault.
   */
  function checked<N extends ReplyName>(reply: N, options: CallOptions, response: HttpResponse): Reply<N> {
    const { statusCode, data } = response;
    if (!deps.checkReply || deps.checkReply(reply, data)) return data as Reply<N>;
    return fail(options, new ApiError(toastTextFor({ statusCode }), statusCode, 'UNEXPECTED_RESPONSE'));
  }

  /** A JSON call whose reply is described by the schema named `reply`. */
  async function json<N extends ReplyName>(
    reply: N,
    method: HttpMethod,
    path: string,
    options: JsonOptions = {},
  ): Promise<Reply<N>> {
    const url = `${deps.baseUrl}${path}${queryString(options.query)}`;
    const idempotent = method === 'GET' || Boolean(options.headers?.['Idempotency-Key']);
    const response = await exchange({ ...options, idempotent }, (header) => {
      if (options.body !== undefined) header['Content-Type'] = 'application/json';
      return deps.transport.request({ url, method, header, data: options.body });
    });
    return checked(reply, options, response);
  }

  /** One local file sent as multipart to `path`, whose reply is described by the schema named `reply`. */
  async function upload<N extends ReplyName>(
    reply: N,
    path: string,
    filePath: string,
    options: UploadOptions,
  ): Promise<Reply<N>> {
    const url = `${deps.baseUrl}${path}${queryString(options.query)}`;
    const { field, onProgress } = options;
    const response = await exchange({ ...options, idempotent: false }, (header) =>
      deps.transport.upload({ url, filePath, field, header, onProgress }),
    );
    return checked(reply, options, response);
  }

  /** A file from `path`, saved where the platform keeps downloads; resolves with its local path. */
  async function download(path: string, options: CallOptions = {}): Promise<string> {
    const url = `${deps.baseUrl}${path}${queryString(options.query)}`;
    // Not repeated after a network failure, like uploads: a timed-out file would double the wait.
    const response = await exchange({ ...options, idempotent: false }, (header) =>
      deps.transport.download({ url, header }),
    );
    return response.filePath;
  }

  return { json, upload, download };
}
