import {
  ApiError,
  createClient,
  queryString,
  type DownloadRequest,
  type DownloadResponse,
  type HttpRequest,
  type HttpResponse,
  type UploadRequest,
} from '../src/services/http/core';
import { replyMatches } from '../src/services/http/replies';

type Answer<Req, Res> = (request: Req) => Res | Error;

function harness(
  answers: Answer<HttpRequest, HttpResponse>[],
  options: {
    token?: string | null;
    renewed?: string | null;
    uploads?: Answer<UploadRequest, HttpResponse>[];
    downloads?: Answer<DownloadRequest, DownloadResponse>[];
    /** false: no reply checking, as in a production build. */
    checkReplies?: boolean;
  } = {},
) {
  const requests: HttpRequest[] = [];
  const uploads: UploadRequest[] = [];
  const downloads: DownloadRequest[] = [];
  const toasts: string[] = [];
  let token = options.token === undefined ? 'old-token' : options.token;
  let reauths = 0;
  const reply = async <Req, Res>(log: Req[], queue: Answer<Req, Res>[], request: Req): Promise<Res> => {
    log.push(request);
    const answer = queue.shift();
    if (!answer) throw new Error('no more answers');
    const result = answer(request);
    if (result instanceof Error) throw result;
    return result;
  };
  const client = createClient({
    baseUrl: 'http://api/api/v1',
    transport: {
      request: (request) => reply(requests, answers, request),
      upload: (request) => reply(uploads, options.uploads ?? [], request),
      download: (request) => reply(downloads, options.downloads ?? [], request),
    },
    getToken: () => token,
    reauthenticate: async () => {
      reauths++;
      token = options.renewed === undefined ? 'new-token' : options.renewed;
      return token;
    },
    showError: (text) => toasts.push(text),
    checkReply: options.checkReplies === false ? undefined : replyMatches,
  });
  return { client, requests, uploads, downloads, toasts, reauthCount: () => reauths };
}

const emptyPage = { items: [], nextCursor: null };
const auth = { token: 't', user: { id: '0123456789abcdef01234567', role: 'resident', studioIds: [] } };

describe('API client', () => {
  it('sends the token and returns the body of a 2xx answer', async () => {
    const h = harness([() => ({ statusCode: 200, data: emptyPage })]);
    const query = { status: 'assigned', cursor: undefined };
    await expect(h.client.json('TicketList', 'GET', '/tickets', { query })).resolves.toEqual(emptyPage);
    expect(h.requests[0]?.url).toBe('http://api/api/v1/tickets?status=assigned');
    expect(h.requests[0]?.header.Authorization).toBe('Bearer old-token');
  });

  it('signs in again after a 401 and repeats the request once with the new token', async () => {
    const h = harness([
      () => ({ statusCode: 401, data: { code: 'TOKEN_EXPIRED' } }),
      () => ({ statusCode: 201, data: emptyPage }),
    ]);
    const reply = h.client.json('TicketList', 'POST', '/tickets/1/replies', { body: { content: '好的' } });
    await expect(reply).resolves.toEqual(emptyPage);
    expect(h.reauthCount()).toBe(1);
    expect(h.requests.map((r) => r.header.Authorization)).toEqual(['Bearer old-token', 'Bearer new-token']);
    expect(h.requests[1]?.header['Content-Type']).toBe('application/json');
  });

  it('gives up after one repeat and shows the Chinese message of the error code', async () => {
    const expired = () => ({ statusCode: 401, data: { code: 'TOKEN_EXPIRED', message: 'jwt expired' } });
    const h = harness([expired, expired]);
    const failure = await h.client.json('TicketList', 'GET', '/tickets').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(h.requests).toHaveLength(2);
    expect(h.toasts).toEqual(['登录已过期，请重新登录']);
  });

  it('does not repeat when no new sign-in is possible (admin password sessions)', async () => {
    const h = harness([() => ({ statusCode: 401, data: { code: 'UNAUTHORIZED' } })], { renewed: null });
    await expect(h.client.json('TicketList', 'GET', '/admin/members')).rejects.toMatchObject({ statusCode: 401 });
    expect(h.requests).toHaveLength(1);
  });

  it('retries a network failure with the same Idempotency-Key, never without one', async () => {
    const h = harness([() => new Error('offline'), () => ({ statusCode: 200, data: emptyPage })]);
    await h.client.json('TicketList', 'POST', '/tickets', { body: {}, headers: { 'Idempotency-Key': 'key-12345678' } });
    expect(h.requests.map((r) => r.header['Idempotency-Key'])).toEqual(['key-12345678', 'key-12345678']);

    const plain = harness([() => new Error('offline'), () => ({ statusCode: 201, data: emptyPage })]);
    const reply = plain.client.json('TicketList', 'POST', '/tickets/1/replies', { body: {} });
    await expect(reply).rejects.toMatchObject({ networkError: true });
    expect(plain.requests).toHaveLength(1);
    expect(plain.toasts[0]).toContain('网络');
  });

  it('stays quiet when asked to, so the page can show its own dialog', async () => {
    const risky = { code: 'CONTENT_RISKY', message: '内容包含不适宜发布的信息，请修改后再提交' };
    const h = harness([() => ({ statusCode: 400, data: risky })]);
    const submit = h.client.json('TicketList', 'POST', '/tickets', { body: {}, silent: true });
    await expect(submit).rejects.toMatchObject({ message: risky.message });
    expect(h.toasts).toEqual([]);
  });

  it('refuses a reply that does not match its schema, in Chinese', async () => {
    const h = harness([() => ({ statusCode: 200, data: { items: [{ id: 'x' }] } })]);
    const failure = h.client.json('TicketList', 'GET', '/tickets');
    await expect(failure).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE', message: '服务器开小差了，请稍后再试' });
    expect(h.toasts).toEqual(['服务器开小差了，请稍后再试']);
  });

  it('accepts the ISO timestamps the schemas describe as date-time, and nothing else', async () => {
    const invite = {
      id: '0123456789abcdef01234567',
      member: { id: '0123456789abcdef01234568', name: '张委员' },
      status: 'pending',
      createdAt: '2026-11-26T08:30:00.000Z',
      expiresAt: '2026-12-03T08:30:00+08:00',
      usedAt: null,
    };
    const h = harness([
      () => ({ statusCode: 200, data: invite }),
      () => ({ statusCode: 200, data: { ...invite, createdAt: '昨天' } }),
    ]);
    await expect(h.client.json('AdminInvite', 'GET', '/x')).resolves.toEqual(invite);
    await expect(h.client.json('AdminInvite', 'GET', '/x')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });

  it('checks the replies the server declares inline too', async () => {
    const h = harness([() => ({ statusCode: 202, data: { queued: true } }), () => ({ statusCode: 202, data: {} })]);
    await expect(h.client.json('RetryQueued', 'POST', '/x')).resolves.toEqual({ queued: true });
    await expect(h.client.json('RetryQueued', 'POST', '/x')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });

  it('hands the reply over unchecked when given no checker, as a production build is', async () => {
    const odd = { items: [{ id: 'x' }] };
    const h = harness([() => ({ statusCode: 200, data: odd })], { checkReplies: false });
    await expect(h.client.json('TicketList', 'GET', '/tickets')).resolves.toEqual(odd);
    expect(h.toasts).toEqual([]);
  });

  it('sends the sign-in calls without a token and without renewing on their 401', async () => {
    const h = harness([() => ({ statusCode: 401, data: { code: 'WECHAT_CODE_INVALID' } })]);
    const signInOptions = { body: { code: 'c' }, auth: false, silent: true };
    const signIn = h.client.json('AuthResponse', 'POST', '/auth/wechat', signInOptions);
    await expect(signIn).rejects.toMatchObject({ message: '微信登录凭证无效或已过期，请重新进入小程序' });
    expect(h.requests[0]?.header.Authorization).toBeUndefined();
    expect(h.reauthCount()).toBe(0);

    const ok = harness([() => ({ statusCode: 200, data: auth })], { token: null });
    await expect(ok.client.json('AuthResponse', 'POST', '/auth/wechat', signInOptions)).resolves.toEqual(auth);
  });

  it('builds query strings without empty values', () => {
    expect(queryString({ q: '海 宁', town: '', overdue: true, limit: 20, cursor: null })).toBe(
      '?q=%E6%B5%B7%20%E5%AE%81&overdue=true&limit=20',
    );
    expect(queryString({})).toBe('');
  });
});

describe('uploads through the API client', () => {
  const uploaded = { id: '0123456789abcdef01234567', url: '/api/v1/uploads/0123456789abcdef01234567?sig=1' };

  it('sends the file with the token, renews the session after a 401 and checks the reply', async () => {
    const h = harness([], {
      uploads: [
        () => ({ statusCode: 401, data: { code: 'TOKEN_EXPIRED' } }),
        () => ({ statusCode: 201, data: uploaded }),
      ],
    });
    const file = h.client.upload('UploadResponse', '/uploads', 'wxfile://tmp/1.jpg', { field: 'file', silent: true });
    await expect(file).resolves.toEqual(uploaded);
    expect(h.uploads.map((u) => [u.url, u.field, u.header.Authorization])).toEqual([
      ['http://api/api/v1/uploads', 'file', 'Bearer old-token'],
      ['http://api/api/v1/uploads', 'file', 'Bearer new-token'],
    ]);
    expect(h.reauthCount()).toBe(1);
  });

  it('turns a refused upload into the Chinese message, and a lost one into the network message', async () => {
    const h = harness([], {
      uploads: [
        () => ({ statusCode: 413, data: { code: 'UPLOAD_TOO_LARGE', message: 'too large' } }),
        () => new Error('x'),
      ],
    });
    const options = { field: 'file', silent: true };
    await expect(h.client.upload('UploadResponse', '/uploads', 'a.jpg', options)).rejects.toMatchObject({
      message: '图片不能超过 5 MB',
      code: 'UPLOAD_TOO_LARGE',
    });
    await expect(h.client.upload('UploadResponse', '/uploads', 'b.jpg', options)).rejects.toMatchObject({
      networkError: true,
    });
    expect(h.uploads).toHaveLength(2); // an upload is not repeated after a network failure
    expect(h.toasts).toEqual([]);
  });
});

describe('downloads through the API client', () => {
  it('carries the token and the query, and resolves with the local file', async () => {
    const h = harness([], { downloads: [() => ({ statusCode: 200, filePath: 'blob:1', data: undefined })] });
    const query = { from: '2026-11-01', format: 'csv' };
    await expect(h.client.download('/admin/stats/export', { query })).resolves.toBe('blob:1');
    expect(h.downloads[0]).toEqual({
      url: 'http://api/api/v1/admin/stats/export?from=2026-11-01&format=csv',
      header: { Authorization: 'Bearer old-token' },
    });
  });

  it('toasts a refused download with the server message', async () => {
    const notReady = { code: 'STATS_NOT_READY', message: 'not ready' };
    const h = harness([], { downloads: [() => ({ statusCode: 503, filePath: '', data: notReady })] });
    await expect(h.client.download('/admin/stats/export')).rejects.toBeInstanceOf(ApiError);
    expect(h.toasts).toEqual(['统计数据正在生成，请稍后刷新']);
  });
});
