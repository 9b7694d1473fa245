import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import QRCode from 'qrcode';

/**
 * A fake of WeChat's server API for development and tests: a real HTTP server with WeChat's paths,
 * answers and error codes, plus inspection (`/__fake/...`) and fault injection.
 */
export interface FakeWechatOptions {
  appId: string;
  appSecret: string;
  logger?: boolean;
  /**
   * Where image check verdicts are pushed (the API's /api/v1/wechat/push) and the Token that signs
   * them; also settable later with POST /__fake/push-config. Without it verdicts are only recorded.
   */
  push?: PushConfig;
  /**
   * How long the "check" of an image takes before its verdict is pushed; 'manual' holds every
   * verdict until POST /__fake/media-checks/release (for tests of the waiting state).
   */
  mediaCheckDelayMs?: number | 'manual';
  /**
   * Subscribe-message consent as WeChat keeps it: off by default (every send succeeds, the API's own
   * credits decide); on, a send needs the user's consent (a one-time template spends one, a long-term
   * template needs it accepted) and is refused with 43101 otherwise. Also set by POST /__fake/subscriptions.
   */
  subscriptions?: SubscriptionConfig;
}

interface SubscriptionConfig {
  enforce: boolean;
  /** Template ids that are long-term (长期性订阅消息). */
  longTerm: string[];
}

/** One user's consent to one template, as the fake WeChat keeps it. */
interface Consent {
  credits: number;
  longTerm: 'accept' | 'reject' | null;
}

interface PushConfig {
  url: string;
  token: string;
}

/** One verdict push the fake made, for tests to inspect. */
interface RecordedPush {
  traceId: string;
  suggest: string;
  errcode: number;
  status: number | null;
  attempts: number;
}

/** Bytes that make the fake judge an image: a test appends them to an otherwise valid image. */
export const FAKE_RISKY_IMAGE_MARK = 'FAKE-WECHAT-RISKY-IMAGE';
export const FAKE_REVIEW_IMAGE_MARK = 'FAKE-WECHAT-REVIEW-IMAGE';
const PUSH_ATTEMPTS = 3;

type FaultMode = 'http500' | 'timeout' | 'errcode';
interface Fault {
  path: string;
  mode: FaultMode;
  errcode: number;
  times: number;
}

interface RecordedSubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  receivedAt: string;
}

const TOKEN_TTL_SECONDS = 7200;
/** How long a "timeout" fault holds a request: longer than any client timeout we configure. */
const TIMEOUT_FAULT_MS = 30_000;

function openidFor(appId: string, code: string): string {
  // Same code → same openid, like a user who logs in twice.
  return 'o' + createHash('sha256').update(`${appId}:${code}`).digest('base64url').slice(0, 27);
}

export function buildFakeWechat(options: FakeWechatOptions): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  const validTokens = new Set<string>();
  let currentToken: string | null = null;
  const faults: Fault[] = [];
  const messages: RecordedSubscribeMessage[] = [];
  const stats = {
    stableTokenCalls: 0,
    msgSecCheckCalls: 0,
    subscribeSendCalls: 0,
    codeUnlimitCalls: 0,
    mediaCheckCalls: 0,
  };
  let pushConfig: PushConfig | null = options.push ?? null;
  let subscriptionConfig: SubscriptionConfig = options.subscriptions ?? { enforce: false, longTerm: [] };
  /** openid → template id → consent. */
  const consents = new Map<string, Map<string, Consent>>();
  const consentOf = (openid: string, templateId: string): Consent => {
    const mine = consents.get(openid) ?? new Map<string, Consent>();
    consents.set(openid, mine);
    const consent = mine.get(templateId) ?? { credits: 0, longTerm: null };
    mine.set(templateId, consent);
    return consent;
  };
  /** Subscribe-message events the fake pushed, for tests to inspect. */
  const subscribePushes: { event: string; openid: string; status: number | null; attempts: number }[] = [];
  const pushSubscribeEvent = async (event: string, openid: string, list: Record<string, string>[]) => {
    const record = { event, openid, status: null as number | null, attempts: 0 };
    subscribePushes.push(record);
    const body = { ToUserName: 'gh_fake', FromUserName: openid, CreateTime: String(Math.floor(Date.now() / 1000)) };
    await pushEvent({ ...body, MsgType: 'event', Event: event, List: list }, record);
  };
  const pushes: RecordedPush[] = [];
  const pendingChecks = new Set<NodeJS.Timeout>();
  const heldChecks: (() => Promise<void>)[] = [];

  /** Fetches the image as WeChat would, judges it by its marks, and pushes the verdict (retried like WeChat). */
  async function judgeAndPush(traceId: string, mediaUrl: string, openid: string): Promise<void> {
    let suggest = 'pass';
    let errcode = 0;
    try {
      const response = await fetch(mediaUrl, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer()).toString('latin1');
      suggest = bytes.includes(FAKE_RISKY_IMAGE_MARK)
        ? 'risky'
        : bytes.includes(FAKE_REVIEW_IMAGE_MARK)
          ? 'review'
          : 'pass';
    } catch {
      // WeChat reports an image it could not download with a non-zero errcode in the push.
      errcode = -1008;
      suggest = 'review';
    }
    const record: RecordedPush = { traceId, suggest, errcode, status: null, attempts: 0 };
    pushes.push(record);
    const event = {
      ToUserName: 'gh_fake',
      FromUserName: openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: options.appId,
      trace_id: traceId,
      version: 2,
      detail: [{ strategy: 'content_model', errcode, suggest, label: suggest === 'pass' ? 100 : 20002, prob: 90 }],
      errcode,
      errmsg: errcode === 0 ? 'ok' : 'media download failed',
      result: { suggest, label: suggest === 'pass' ? 100 : 20002 },
    };
    await pushEvent(event, record);
  }

  /** Pushes an event to the API as WeChat does: signed, retried until it answers "success". */
  async function pushEvent(event: object, record: { status: number | null; attempts: number }): Promise<void> {
    for (let attempt = 1; attempt <= PUSH_ATTEMPTS && pushConfig; attempt += 1) {
      record.attempts = attempt;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(8).toString('hex');
      const signature = createHash('sha1').update([pushConfig.token, timestamp, nonce].sort().join('')).digest('hex');
      const url = new URL(pushConfig.url);
      url.searchParams.set('signature', signature);
      url.searchParams.set('timestamp', timestamp);
      url.searchParams.set('nonce', nonce);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(10_000),
        });
        record.status = response.status;
        if (response.ok && (await response.text()).trim() === 'success') return;
      } catch {
        record.status = null;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  /** Requests held by a timeout fault, released at once when the server closes. */
  const heldRequests = new Set<() => void>();

  /** Applies the first matching fault, if any. Returns true when the reply was handled. */
  async function applyFault(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const path = request.url.split('?')[0];
    const fault = faults.find((f) => f.path === path && f.times > 0);
    if (!fault) return false;
    fault.times -= 1;
    if (fault.mode === 'http500') {
      await reply.status(500).type('text/plain').send('fault injected');
    } else if (fault.mode === 'timeout') {
      await new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          heldRequests.delete(release);
          resolve();
        };
        const timer = setTimeout(release, TIMEOUT_FAULT_MS);
        heldRequests.add(release);
      });
      await reply.status(504).send({ errcode: -1, errmsg: 'system error (timeout fault)' });
    } else {
      await reply.send({ errcode: fault.errcode, errmsg: 'fault injected' });
    }
    return true;
  }

  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/__fake/')) return;
    if (await applyFault(request, reply)) return reply;
  });
  app.addHook('preClose', async () => {
    for (const release of [...heldRequests]) release();
    for (const timer of pendingChecks) clearTimeout(timer);
    pendingChecks.clear();
  });

  const tokenError = (token: unknown) =>
    typeof token !== 'string' || !validTokens.has(token)
      ? { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }
      : null;

  app.get('/sns/jscode2session', async (request) => {
    const q = request.query as Record<string, string | undefined>;
    if (q.appid !== options.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (q.secret !== options.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (q.grant_type !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
    const code = q.js_code;
    if (!code) return { errcode: 41008, errmsg: 'missing code' };
    if (code.startsWith('bad')) return { errcode: 40029, errmsg: 'invalid code' };
    return { openid: openidFor(options.appId, code), session_key: randomBytes(16).toString('base64') };
  });

  app.post('/cgi-bin/stable_token', async (request) => {
    stats.stableTokenCalls += 1;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
    if (body.appid !== options.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (body.secret !== options.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (!currentToken || body.force_refresh === true) {
      currentToken = randomBytes(24).toString('hex');
      validTokens.add(currentToken);
    }
    return { access_token: currentToken, expires_in: TOKEN_TTL_SECONDS };
  });

  app.post('/cgi-bin/message/subscribe/send', async (request) => {
    stats.subscribeSendCalls += 1;
    const invalid = tokenError((request.query as Record<string, unknown>).access_token);
    if (invalid) return invalid;
    const body = (request.body ?? {}) as Partial<RecordedSubscribeMessage>;
    if (!body.touser || !body.template_id || typeof body.data !== 'object' || body.data === null) {
      return { errcode: 47003, errmsg: 'argument invalid! data.format invalid' };
    }
    if (subscriptionConfig.enforce) {
      const consent = consentOf(body.touser, body.template_id);
      const longTerm = subscriptionConfig.longTerm.includes(body.template_id);
      const allowed = longTerm ? consent.longTerm === 'accept' : consent.credits > 0;
      if (!longTerm && allowed) consent.credits -= 1;
      const msgId = String(messages.length + 1);
      const result = allowed
        ? { TemplateId: body.template_id, MsgID: msgId, ErrorCode: '0', ErrorStatus: 'success' }
        : {
            TemplateId: body.template_id,
            MsgID: msgId,
            ErrorCode: '43101',
            ErrorStatus: 'fail: user refuse to accept the msg',
          };
      // WeChat tells the result of each send by a subscribe_msg_sent_event, after answering the call.
      setImmediate(() => void pushSubscribeEvent('subscribe_msg_sent_event', body.touser!, [result]));
      if (!allowed) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
    }
    messages.push({
      touser: body.touser,
      template_id: body.template_id,
      page: body.page,
      data: body.data,
      receivedAt: new Date().toISOString(),
    });
    return { errcode: 0, errmsg: 'ok', msgid: messages.length };
  });

  app.post('/wxa/msg_sec_check', async (request) => {
    stats.msgSecCheckCalls += 1;
    const invalid = tokenError((request.query as Record<string, unknown>).access_token);
    if (invalid) return invalid;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.version !== 2 || typeof body.content !== 'string' || typeof body.openid !== 'string') {
      return { errcode: 40003, errmsg: 'invalid openid or argument' };
    }
    const suggest = body.content.includes('违禁词') ? 'risky' : body.content.includes('待审词') ? 'review' : 'pass';
    const label = suggest === 'pass' ? 100 : 20001;
    return {
      errcode: 0,
      errmsg: 'ok',
      result: { suggest, label },
      detail: [{ strategy: 'content_model', errcode: 0, suggest, label }],
      trace_id: randomBytes(8).toString('hex'),
    };
  });

  app.post('/wxa/media_check_async', async (request) => {
    stats.mediaCheckCalls += 1;
    const invalid = tokenError((request.query as Record<string, unknown>).access_token);
    if (invalid) return invalid;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (
      typeof body.media_url !== 'string' ||
      body.version !== 2 ||
      typeof body.openid !== 'string' ||
      body.media_type !== 2
    ) {
      return { errcode: 40003, errmsg: 'invalid argument' };
    }
    const traceId = randomBytes(8).toString('hex');
    const mediaUrl = body.media_url;
    const openid = body.openid;
    if (options.mediaCheckDelayMs === 'manual') {
      heldChecks.push(() => judgeAndPush(traceId, mediaUrl, openid));
    } else {
      const timer = setTimeout(() => {
        pendingChecks.delete(timer);
        judgeAndPush(traceId, mediaUrl, openid).catch(() => undefined);
      }, options.mediaCheckDelayMs ?? 100);
      pendingChecks.add(timer);
    }
    return { errcode: 0, errmsg: 'ok', trace_id: traceId };
  });

  app.post('/wxa/getwxacodeunlimit', async (request, reply) => {
    stats.codeUnlimitCalls += 1;
    const invalid = tokenError((request.query as Record<string, unknown>).access_token);
    if (invalid) return invalid;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const scene = body.scene;
    if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32) {
      return { errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' };
    }
    const page = typeof body.page === 'string' ? body.page : '';
    const width = typeof body.width === 'number' ? Math.min(Math.max(body.width, 280), 1280) : 430;
    // A real WeChat code is not a QR code, but a PNG that encodes page and scene serves tests well.
    const png = await QRCode.toBuffer(`wxacode:${page}?scene=${scene}`, { type: 'png', width });
    return reply.type('image/png').send(png);
  });

  // Inspection and fault injection for tests.
  app.get('/__fake/subscribe-messages', async (request) => {
    const touser = (request.query as Record<string, string | undefined>).touser;
    return touser ? messages.filter((m) => m.touser === touser) : messages;
  });
  app.get('/__fake/stats', async () => stats);
  app.post('/__fake/subscriptions', async (request) => {
    const body = (request.body ?? {}) as Partial<SubscriptionConfig>;
    subscriptionConfig = {
      enforce: body.enforce === true,
      longTerm: Array.isArray(body.longTerm) ? body.longTerm : [],
    };
    return subscriptionConfig;
  });
  /**
   * A user's choice about a template, as if made in WeChat: in the popup of wx.requestSubscribeMessage
   * or in the settings page. The fake records it and pushes the event WeChat would (unless push: false).
   */
  app.post('/__fake/subscribe', async (request, reply) => {
    const body = (request.body ?? {}) as {
      openid?: string;
      templateId?: string;
      choice?: string;
      via?: string;
      push?: boolean;
    };
    if (!body.openid || !body.templateId || (body.choice !== 'accept' && body.choice !== 'reject')) {
      return reply.status(400).send({ error: 'openid, templateId and choice (accept|reject) are required' });
    }
    const consent = consentOf(body.openid, body.templateId);
    const longTerm = subscriptionConfig.longTerm.includes(body.templateId);
    if (longTerm) consent.longTerm = body.choice;
    else if (body.choice === 'accept' && body.via !== 'settings') consent.credits += 1;
    else if (body.choice === 'reject') consent.credits = 0;
    if (body.push !== false) {
      const event = body.via === 'settings' ? 'subscribe_msg_change_event' : 'subscribe_msg_popup_event';
      await pushSubscribeEvent(event, body.openid, [
        { TemplateId: body.templateId, SubscribeStatusString: body.choice, PopupScene: '0' },
      ]);
    }
    return consent;
  });
  app.get('/__fake/subscribe-pushes', async () => subscribePushes);
  app.get('/__fake/pushes', async () => pushes);
  app.post('/__fake/media-checks/release', async () => {
    const held = heldChecks.splice(0);
    await Promise.all(held.map((run) => run().catch(() => undefined)));
    return { released: held.length };
  });
  app.post('/__fake/push-config', async (request, reply) => {
    const body = (request.body ?? {}) as Partial<PushConfig>;
    if (typeof body.url !== 'string' || typeof body.token !== 'string')
      return reply.status(400).send({ error: 'url and token are required' });
    pushConfig = { url: body.url, token: body.token };
    return { ok: true };
  });
  app.get('/__fake/openid', async (request) => {
    // Lets a test learn the openid a code maps to, as WeChat would for that user.
    const code = (request.query as Record<string, string | undefined>).code ?? '';
    return { openid: openidFor(options.appId, code) };
  });
  app.post('/__fake/faults', async (request, reply) => {
    const body = (request.body ?? {}) as Partial<Fault>;
    const modes: FaultMode[] = ['http500', 'timeout', 'errcode'];
    if (typeof body.path !== 'string' || !modes.includes(body.mode as FaultMode)) {
      return reply.status(400).send({ error: 'path and mode (http500|timeout|errcode) are required' });
    }
    faults.push({
      path: body.path,
      mode: body.mode as FaultMode,
      errcode: Number(body.errcode ?? -1),
      times: Math.max(1, Number(body.times ?? 1)),
    });
    return reply.status(201).send({ ok: true });
  });
  app.delete('/__fake/faults', async () => {
    faults.length = 0;
    return { ok: true };
  });

  return app;
}

export async function startFakeWechat(
  options: FakeWechatOptions & { port?: number; host?: string },
): Promise<{ url: string; app: FastifyInstance; close: () => Promise<void> }> {
  const app = buildFakeWechat(options);
  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return { url: address, app, close: () => app.close() };
}
