import { startTestStack, eventually, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { startWorkers, type RunningWorkers } from '../src/workers/runtime';

/** PRODUCT.md: user text must pass WeChat's content check before members see it. */
describe('content check gate', () => {
  let stack: TestStack;
  let workers: RunningWorkers;
  let admin: Caller;
  let member: Caller & { memberId: string };
  let studioId: string;

  const inject = (
    caller: Caller,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) => stack.app.inject({ method, url, payload, headers: { ...caller.headers, ...headers } });
  const submit = (resident: Caller, content: string) =>
    inject(
      resident,
      'POST',
      '/api/v1/tickets',
      { studioId, category: 'suggest', content },
      { 'idempotency-key': idempotencyKey() },
    );
  const memberSees = async (ticketId: string) =>
    (await inject(member, 'GET', `/api/v1/tickets/${ticketId}`)).statusCode === 200;
  const memberNotices = async () =>
    ((await inject(member, 'GET', '/api/v1/me/notifications')).json().items as { ticketId: string }[]).map(
      (n) => n.ticketId,
    );

  beforeAll(async () => {
    stack = await startTestStack({ NOTIFY_SWEEP_INTERVAL_SECONDS: '1', NOTIFY_REQUEUE_AFTER_SECONDS: '2' });
    workers = await startWorkers(stack.config, { logStream: stack.logs });
    admin = await signInAdmin(stack.app);
    studioId = (
      await inject(admin, 'POST', '/api/v1/admin/studios', { name: '审核测试工作室', kind: 'town', town: '盐官镇' })
    ).json().id;
    const m = await inject(admin, 'POST', '/api/v1/admin/members', {
      name: '审核委员',
      title: '市政协委员',
      studioIds: [studioId],
    });
    member = await signInMember(stack.app, admin, m.json().id, 'moderation-member');
  });
  afterAll(async () => {
    await workers?.close();
    await stack?.close();
  });

  it('holds content under review back from members until an admin approves it', async () => {
    const resident = await signInResident(stack.app, 'moderation-resident-1');
    const ticket = (await submit(resident, '这段建议里有待审词，需要人工看一下')).json();
    expect(await memberSees(ticket.id)).toBe(false);
    expect(
      ((await inject(member, 'GET', '/api/v1/tickets')).json().items as { id: string }[]).map((t) => t.id),
    ).not.toContain(ticket.id);
    // The resident sees their own ticket; admins see it flagged.
    expect((await inject(resident, 'GET', `/api/v1/tickets/${ticket.id}`)).statusCode).toBe(200);
    expect((await inject(admin, 'GET', `/api/v1/tickets/${ticket.id}`)).json()).toMatchObject({
      flagged: true,
      contentCheck: 'review',
    });

    const approved = await inject(admin, 'POST', `/api/v1/tickets/${ticket.id}/moderation`, { decision: 'approve' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ contentCheck: 'pass', flagged: false });
    expect(await memberSees(ticket.id)).toBe(true);
    await eventually(async () => (await memberNotices()).includes(ticket.id));
    const again = await inject(admin, 'POST', `/api/v1/tickets/${ticket.id}/moderation`, { decision: 'reject' });
    expect(again.statusCode).toBe(409);
  });

  it('closes rejected content without members ever seeing it, and tells the resident why', async () => {
    const resident = await signInResident(stack.app, 'moderation-resident-2');
    const ticket = (await submit(resident, '又一段含待审词的留言内容')).json();
    const rejected = await inject(admin, 'POST', `/api/v1/tickets/${ticket.id}/moderation`, {
      decision: 'reject',
      note: '含有广告信息',
    });
    expect(rejected.json()).toMatchObject({ status: 'resolved', contentCheck: 'rejected' });
    expect(await memberSees(ticket.id)).toBe(false);
    const mine = (await inject(resident, 'GET', `/api/v1/tickets/${ticket.id}`)).json();
    expect(mine.timeline.at(-1)).toMatchObject({ type: 'resolved', content: expect.stringContaining('含有广告信息') });
    const reopen = await inject(resident, 'POST', `/api/v1/tickets/${ticket.id}/reopen`, { reason: '我改好了' });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().message).toContain('内容审核');
  });

  it('releases a ticket accepted during a WeChat outage once the re-check passes, and tells the member', async () => {
    const resident = await signInResident(stack.app, 'moderation-resident-3');
    await fetch(`${stack.wechatUrl}/__fake/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/wxa/msg_sec_check', mode: 'http500', times: 1 }),
    });
    const ticket = (await submit(resident, '微信内容检查暂时不可用时提交的建议')).json();
    expect((await stack.app.models.Ticket.findById(ticket.id).lean())!.contentCheck).toBe('pending');
    expect(await memberSees(ticket.id)).toBe(false);
    await eventually(async () => memberSees(ticket.id), 20_000);
    await eventually(async () => (await memberNotices()).includes(ticket.id));
  });
});
