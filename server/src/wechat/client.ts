import type { Redis } from 'ioredis';

/**
 * The only code that talks to WeChat's HTTP API. Its base URL is configuration, so development
 * and tests point it at the fake server in ./fake.
 */
export interface WechatClientOptions {
  apiBase: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
  /** Shared cache for the access token: every API and worker process uses the same one. */
  redis: Redis;
}

/** WeChat answered, with a non-zero errcode. */
export class WechatApiError extends Error {
  constructor(
    readonly path: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${path} failed with errcode ${errcode}: ${errmsg}`);
    this.name = 'WechatApiError';
  }
}

/** WeChat could not be reached or answered garbage (timeout, network error, HTTP 5xx). */
export class WechatUnavailableError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`WeChat ${path} unavailable: ${reason}`);
    this.name = 'WechatUnavailableError';
  }
}

export interface WechatSession {
  openid: string;
  unionid?: string;
}

/** Codes meaning the access token is invalid or expired: refresh once and retry. */
const TOKEN_ERRCODES = new Set([40001, 42001, 40014]);
const TOKEN_CACHE_KEY = 'wechat:access_token';
const TOKEN_LOCK_KEY = 'wechat:access_token:lock';

interface WechatReply {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

export function createWechatClient(options: WechatClientOptions) {
  const base = options.apiBase.replace(/\/$/, '');

  async function call(
    path: string,
    init: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown },
  ): Promise<WechatReply> {
    const url = new URL(base + path);
    for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await fetch(url, {
        method: init.method,
        headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw new WechatUnavailableError(path, error instanceof Error ? error.name : 'network error');
    }
    if (response.status >= 500) throw new WechatUnavailableError(path, `HTTP ${response.status}`);
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('json')) {
      // Binary answers (e.g. a PNG) are handled by the caller; here we only expect JSON.
      throw new WechatUnavailableError(path, `unexpected content type ${contentType}`);
    }
    let body: WechatReply;
    try {
      body = (await response.json()) as WechatReply;
    } catch {
      throw new WechatUnavailableError(path, 'invalid JSON');
    }
    if (typeof body.errcode === 'number' && body.errcode !== 0) {
      throw new WechatApiError(path, body.errcode, String(body.errmsg ?? ''));
    }
    return body;
  }

  async function fetchStableToken(forceRefresh: boolean): Promise<string> {
    const body = await call('/cgi-bin/stable_token', {
      method: 'POST',
      body: {
        grant_type: 'client_credential',
        appid: options.appId,
        secret: options.appSecret,
        force_refresh: forceRefresh,
      },
    });
    const token = body.access_token;
    const expiresIn = Number(body.expires_in ?? 7200);
    if (typeof token !== 'string' || !token)
      throw new WechatUnavailableError('/cgi-bin/stable_token', 'no access_token');
    // Refresh five minutes early so no process uses a token in its last moments. A cache that cannot
    // be written (Redis down) only costs another fetch later.
    await options.redis.set(TOKEN_CACHE_KEY, token, 'EX', Math.max(60, expiresIn - 300)).catch(() => undefined);
    return token;
  }

  /** Redis read that treats an unreachable Redis as a cache miss. */
  const cachedToken = () => options.redis.get(TOKEN_CACHE_KEY).catch(() => null);

  /**
   * The access token, from Redis when cached. One process at a time refreshes it (a short lock);
   * the others wait for its result instead of each asking WeChat. With Redis down, each process
   * fetches the stable token itself (stable_token returns the same token, so this stays correct).
   */
  async function getAccessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh) {
      const cached = await cachedToken();
      if (cached) return cached;
    }
    const deadline = Date.now() + options.timeoutMs * 2;
    for (;;) {
      const locked = await options.redis
        .set(TOKEN_LOCK_KEY, String(process.pid), 'PX', options.timeoutMs * 2, 'NX')
        .catch(() => 'NO_REDIS' as const);
      if (locked === 'NO_REDIS') return fetchStableToken(forceRefresh);
      if (locked === 'OK') {
        try {
          return await fetchStableToken(forceRefresh);
        } finally {
          await options.redis.del(TOKEN_LOCK_KEY).catch(() => undefined);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      const cached = await cachedToken();
      if (cached && !forceRefresh) return cached;
      if (Date.now() > deadline) return fetchStableToken(forceRefresh);
    }
  }

  /** Calls an endpoint that takes `access_token`, refreshing the token once if WeChat rejects it. */
  async function callWithToken(path: string, body: unknown): Promise<WechatReply> {
    const token = await getAccessToken();
    try {
      return await call(path, { method: 'POST', query: { access_token: token }, body });
    } catch (error) {
      if (error instanceof WechatApiError && TOKEN_ERRCODES.has(error.errcode)) {
        const fresh = await getAccessToken(true);
        return call(path, { method: 'POST', query: { access_token: fresh }, body });
      }
      throw error;
    }
  }

  /**
   * POSTs to an endpoint that answers binary on success (an image) and JSON `errcode` on failure,
   * refreshing the access token once if WeChat rejects it.
   */
  async function callForImage(path: string, body: unknown, retried = false): Promise<Buffer> {
    const token = await getAccessToken(retried);
    const url = new URL(base + path);
    url.searchParams.set('access_token', token);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw new WechatUnavailableError(path, error instanceof Error ? error.name : 'network error');
    }
    if (response.status >= 500) throw new WechatUnavailableError(path, `HTTP ${response.status}`);
    const contentType = response.headers.get('content-type') ?? '';
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await response.arrayBuffer());
    } catch {
      throw new WechatUnavailableError(path, 'body not readable');
    }
    if (contentType.startsWith('image/')) return bytes;
    let reply: WechatReply;
    try {
      reply = JSON.parse(bytes.toString('utf8')) as WechatReply;
    } catch {
      throw new WechatUnavailableError(path, `unexpected content type ${contentType}`);
    }
    const errcode = typeof reply.errcode === 'number' ? reply.errcode : -1;
    if (!retried && TOKEN_ERRCODES.has(errcode)) return callForImage(path, body, true);
    throw new WechatApiError(path, errcode, String(reply.errmsg ?? 'no image in answer'));
  }

  return {
    /** Exchanges a `wx.login` code for the user's openid. The session_key is dropped here on purpose. */
    async code2Session(jsCode: string): Promise<WechatSession> {
      const body = await call('/sns/jscode2session', {
        method: 'GET',
        query: { appid: options.appId, secret: options.appSecret, js_code: jsCode, grant_type: 'authorization_code' },
      });
      if (typeof body.openid !== 'string' || !body.openid)
        throw new WechatUnavailableError('/sns/jscode2session', 'no openid');
      return { openid: body.openid, ...(typeof body.unionid === 'string' ? { unionid: body.unionid } : {}) };
    },
    /**
     * Content security check (msg_sec_check v2). `errcode 0` alone does not mean pass: the verdict
     * is in `result.suggest`.
     */
    async msgSecCheck(input: {
      openid: string;
      content: string;
      scene: 1 | 2 | 3 | 4;
    }): Promise<{ suggest: 'pass' | 'review' | 'risky'; label: number }> {
      const body = await callWithToken('/wxa/msg_sec_check', {
        version: 2,
        openid: input.openid,
        scene: input.scene,
        content: input.content,
      });
      const result = body.result as { suggest?: unknown; label?: unknown } | undefined;
      const suggest = result?.suggest;
      if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') {
        throw new WechatUnavailableError('/wxa/msg_sec_check', 'no verdict in result.suggest');
      }
      return { suggest, label: Number(result?.label ?? 0) };
    },
    /**
     * Asks WeChat to check an image (media_check_async v2). WeChat downloads `mediaUrl` itself and
     * pushes the verdict later (event `wxa_media_check`, matched by the returned trace id).
     */
    async mediaCheckAsync(input: { openid: string; mediaUrl: string; scene: 1 | 2 | 3 | 4 }): Promise<string> {
      const body = await callWithToken('/wxa/media_check_async', {
        media_url: input.mediaUrl,
        media_type: 2,
        version: 2,
        openid: input.openid,
        scene: input.scene,
      });
      if (typeof body.trace_id !== 'string' || !body.trace_id)
        throw new WechatUnavailableError('/wxa/media_check_async', 'no trace_id');
      return body.trace_id;
    },
    /** Sends a subscribe message; errcode 43101 means the user gave no (or no remaining) consent. */
    async sendSubscribeMessage(input: {
      touser: string;
      templateId: string;
      page: string;
      data: Record<string, { value: string }>;
    }): Promise<void> {
      await callWithToken('/cgi-bin/message/subscribe/send', {
        touser: input.touser,
        template_id: input.templateId,
        page: input.page,
        data: input.data,
        miniprogram_state: 'formal',
        lang: 'zh_CN',
      });
    },
    /**
     * A mini-program code for `page` with `scene` (≤ 32 visible characters), as a PNG. WeChat answers
     * the image itself on success and JSON with an errcode on failure.
     */
    async getUnlimitedQrCode(input: {
      scene: string;
      page: string;
      width?: number;
      checkPath?: boolean;
    }): Promise<Buffer> {
      return callForImage('/wxa/getwxacodeunlimit', {
        scene: input.scene,
        page: input.page,
        width: input.width ?? 430,
        ...(input.checkPath === undefined ? {} : { check_path: input.checkPath }),
      });
    },
    getAccessToken,
    callWithToken,
  };
}

export type WechatClient = ReturnType<typeof createWechatClient>;
