import { startTestStack, type TestStack } from './helpers/app';
import { signInAdmin, signInResident } from './helpers/actors';

describe('queue board (Bull Board) at /admin/queues', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is closed to visitors without a session and to non-admins', async () => {
    expect((await stack.app.inject({ method: 'GET', url: '/admin/queues/' })).statusCode).toBe(401);
    const resident = await signInResident(stack.app, 'board-resident');
    expect(
      (await stack.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: resident.headers }))
        .statusCode,
    ).toBe(403);
    const session = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/admin/queues/session',
      headers: resident.headers,
    });
    expect(session.statusCode).toBe(403);
  });

  it('opens for an admin through a path-scoped HttpOnly cookie and lists the queues', async () => {
    const admin = await signInAdmin(stack.app);
    const session = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/admin/queues/session',
      headers: admin.headers,
    });
    expect(session.statusCode).toBe(200);
    const setCookie = String(session.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Path=\/admin\/queues/);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(';')[0]!;
    const page = await stack.app.inject({ method: 'GET', url: '/admin/queues/', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const queues = await stack.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
    expect(queues.statusCode).toBe(200);
    const names = (queues.json() as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['deadlines', 'maintenance', 'notify', 'operations']);
  });

  it('keeps its routes out of the public API document', async () => {
    const doc = (await stack.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/admin/queues'))).toEqual([]);
  });
});
