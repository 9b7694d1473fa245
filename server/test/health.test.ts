import { eventually, startTestStack, type TestStack } from './helpers/app';

describe('health and readiness', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const readiness = async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/readyz' });
    return { status: res.statusCode, body: res.json() as { checks: { database: string; redis: string } } };
  };

  it('answers /healthz while the process runs', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is ready when the database and Redis answer', async () => {
    const { status, body } = await readiness();
    expect(status).toBe(200);
    expect(body.checks).toEqual({ database: 'up', redis: 'up' });
  });

  it('reports 503 while Redis is down and recovers after a restart without restarting the API', async () => {
    await stack.services.redis.stop();
    const down = await readiness();
    expect(down.status).toBe(503);
    expect(down.body.checks.redis).toBe('down');
    expect(down.body.checks.database).toBe('up');

    await stack.services.redis.restart();
    await eventually(async () => (await readiness()).status === 200);
  });

  it('reports 503 while the database is down and recovers after a restart', async () => {
    await stack.services.db.stop();
    const down = await readiness();
    expect(down.status).toBe(503);
    expect(down.body.checks.database).toBe('down');

    await stack.services.db.restart();
    await eventually(async () => (await readiness()).status === 200, 40_000);
  });

  it('answers a request that needs a down dependency with 503, not 500', async () => {
    await stack.services.db.stop();
    try {
      const res = await stack.app.inject({ method: 'GET', url: '/api/v1/studios' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        message: expect.stringMatching(/服务暂时不可用/),
      });
    } finally {
      await stack.services.db.restart();
    }
    await eventually(
      async () => (await stack.app.inject({ method: 'GET', url: '/api/v1/studios' })).statusCode === 200,
      40_000,
    );
  });
});
