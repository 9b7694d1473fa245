import { ApiError, createClient, queryString, type HttpRequest, type HttpResponse } from '../src/services/client';

function harness(answers: ((request: HttpRequest) => HttpResponse | Error)[], options: { token?: string | null; renewed?: string | null } = {}) {
  const requests: HttpRequest[] = [];
  const toasts: string[] = [];
  let token = options.token === undefined ? 'old-token' : options.token;
  let reauths = 0;
  const client = createClient({
    baseUrl: 'http://api/api/v1',
    transport: async (request) => {
      requests.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error('no more answers');
      const result = answer(request);
      if (result instanceof Error) throw result;
      return result;
    },
    getToken: () => token,
    reauthenticate: async () => {
      reauths++;
      token = options.renewed === undefined ? 'new-token' : options.renewed;
      return token;
    },
    showError: (text) => toasts.push(text),
  });
  return { client, requests, toasts, reauthCount: () => reauths };
}

describe('API client', () => {
  it('sends the token and returns the body of a 2xx answer', async () => {
    const h = harness([() => ({ statusCode: 200, data: { items: [], nextCursor: null } })]);
    await expect(h.client.call('GET', '/tickets', { query: { status: 'assigned', cursor: undefined } })).resolves.toEqual({ items: [], nextCursor: null });
    expect(h.requests[0]?.url).toBe('http://api/api/v1/tickets?status=assigned');
    expect(h.requests[0]?.header.Authorization).toBe('Bearer old-token');
  });

  it('signs in again after a 401 and repeats the request once with the new token', async () => {
    const h = harness([() => ({ statusCode: 401, data: { code: 'TOKEN_EXPIRED' } }), () => ({ statusCode: 201, data: { id: 'x' } })]);
    await expect(h.client.call('POST', '/tickets/1/replies', { body: { content: '好的' } })).resolves.toEqual({ id: 'x' });
    expect(h.reauthCount()).toBe(1);
    expect(h.requests.map((r) => r.header.Authorization)).toEqual(['Bearer old-token', 'Bearer new-token']);
  });

  it('gives up after one repeat and shows the Chinese message of the error code', async () => {
    const h = harness([() => ({ statusCode: 401, data: { code: 'TOKEN_EXPIRED', message: 'jwt expired' } }), () => ({ statusCode: 401, data: { code: 'TOKEN_EXPIRED', message: 'jwt expired' } })]);
    const failure = await h.client.call('GET', '/tickets').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('TOKEN_EXPIRED');
    expect(h.requests).toHaveLength(2);
    expect(h.toasts).toEqual(['登录已过期，请重新登录']);
  });

  it('does not repeat when no new sign-in is possible (admin password sessions)', async () => {
    const h = harness([() => ({ statusCode: 401, data: { code: 'UNAUTHORIZED' } })], { renewed: null });
    await expect(h.client.call('GET', '/admin/members')).rejects.toMatchObject({ statusCode: 401 });
    expect(h.requests).toHaveLength(1);
  });

  it('retries a network failure with the same Idempotency-Key, never without one', async () => {
    const h = harness([() => new Error('offline'), () => ({ statusCode: 200, data: { id: 't1' } })]);
    await h.client.call('POST', '/tickets', { body: {}, headers: { 'Idempotency-Key': 'key-12345678' } });
    expect(h.requests.map((r) => r.header['Idempotency-Key'])).toEqual(['key-12345678', 'key-12345678']);

    const plain = harness([() => new Error('offline'), () => ({ statusCode: 201, data: {} })]);
    await expect(plain.client.call('POST', '/tickets/1/replies', { body: {} })).rejects.toMatchObject({ networkError: true });
    expect(plain.requests).toHaveLength(1);
    expect(plain.toasts[0]).toContain('网络');
  });

  it('stays quiet when asked to, so the page can show its own dialog', async () => {
    const h = harness([() => ({ statusCode: 400, data: { code: 'CONTENT_RISKY', message: '内容包含不适宜发布的信息，请修改后再提交' } })]);
    await expect(h.client.call('POST', '/tickets', { body: {}, silent: true })).rejects.toMatchObject({ message: '内容包含不适宜发布的信息，请修改后再提交' });
    expect(h.toasts).toEqual([]);
  });

  it('builds query strings without empty values', () => {
    expect(queryString({ q: '海 宁', town: '', overdue: true, limit: 20, cursor: null })).toBe('?q=%E6%B5%B7%20%E5%AE%81&overdue=true&limit=20');
    expect(queryString({})).toBe('');
  });
});
