import { startTestStack, type TestStack } from './helpers/app';

describe('OpenAPI document', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('describes every route with an operationId and response schemas', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>> };
    const operations = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ route: `${m.toUpperCase()} ${p}`, ...op })));
    const routes = operations.map((o) => o.route);
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'GET /readyz',
        'POST /api/v1/auth/wechat',
        'POST /api/v1/auth/password',
        'GET /api/v1/studios',
        'GET /api/v1/studios/{id}',
        'GET /api/v1/studios/by-scene/{scene}',
      ]),
    );
    for (const op of operations) {
      expect({ route: op.route, operationId: typeof op.operationId }).toEqual({ route: op.route, operationId: 'string' });
      expect({ route: op.route, success: Object.keys(op.responses ?? {}).some((status) => /^2\d\d$/.test(status)) }).toEqual({ route: op.route, success: true });
    }
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
  });

  it('serves the interactive UI at /docs', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });
});
