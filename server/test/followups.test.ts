import type { StatsGroup, TicketDetail } from '@mashangshang/shared';
import { eventually, rewriteTickets, startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { startWorkers, type RunningWorkers } from '../src/workers/runtime';

interface FakeMessage {
  touser: string;
  template_id: string;
  page: string;
  data: Record<string, { value: string }>;
}

/** 回头看 two seconds after a resolve (instead of days), swept every second. */
const FAST = {
  FOLLOW_UP_AFTER_SECONDS: '2',
  FOLLOW_UP_SWEEP_INTERVAL_SECONDS: '1',
  NOTIFY_SWEEP_INTERVAL_SECONDS: '1',
  NOTIFY_BACKOFF_MS: '50',
};

describe('回头看 follow-ups', () => {
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
  const detail = async (caller: Caller, id: string) =>
    (await inject(caller, 'GET', `/api/v1/tickets/${id}`)).json() as TicketDetail;
  const notices = async (caller: Caller) =>
    (
      (await inject(caller, 'GET', '/api/v1/me/notifications')).json() as {
        items: { kind: string; ticketId: string; body: string }[];
      }
    ).items;
  const messagesTo = async (openid: string) =>
    (await (await fetch(`${stack.wechatUrl}/__fake/subscribe-messages?touser=${openid}`)).json()) as FakeMessage[];
  const answer = (resident: Caller, id: string, payload: object) =>
    inject(resident, 'POST', `/api/v1/tickets/${id}/follow-up`, payload);

  /** A ticket from a new resident, answered and resolved by the member. */
  async function resolvedTicket(code: string, content: string) {
    const resident = await signInResident(stack.app, code);
    const submitted = await inject(
      resident,
      'POST',
      '/api/v1/tickets',
      { studioId, category: 'help', content },
      { 'idempotency-key': idempotencyKey() },
    );
    const id = submitted.json().id as string;
    expect(
      (await inject(member, 'POST', `/api/v1/tickets/${id}/replies`, { content: '已联系相关部门处理。' })).statusCode,
    ).toBe(201);
    expect((await inject(member, 'POST', `/api/v1/tickets/${id}/resolve`, { outcome: 'none' })).statusCode).toBe(200);
    return { resident, id };
  }
  const asked = async (resident: Caller, id: string) => {
    await eventually(async () => (await detail(resident, id)).followUp?.askedAt != null, 15_000);
    return detail(resident, id);
  };

  beforeAll(async () => {
    stack = await startTestStack(FAST);
    workers = await startWorkers(stack.config, { logStream: stack.logs });
    admin = await signInAdmin(stack.app);
    const studio = await inject(admin, 'POST', '/api/v1/admin/studios', {
      name: '回头看测试工作室',
      kind: 'town',
      town: '回访镇',
    });
    studioId = studio.json().id;
    const m = await inject(admin, 'POST', '/api/v1/admin/members', {
      name: '回访委员',
      title: '委员',
      studioIds: [studioId],
    });
    member = await signInMember(stack.app, admin, m.json().id, 'followup-member');
  });
  afterAll(async () => {
    await workers?.close();
    await stack?.close();
  });

  it('asks the resident after the configured delay, in the app and by WeChat when they consented; a settled answer goes on the timeline', async () => {
    const openid = (
      (await (await fetch(`${stack.wechatUrl}/__fake/openid?code=followup-resident-1`)).json()) as { openid: string }
    ).openid;
    const resident = await signInResident(stack.app, 'followup-resident-1');
    await inject(resident, 'POST', '/api/v1/me/subscriptions', { accepted: ['follow_up'] });
    const submitted = await inject(
      resident,
      'POST',
      '/api/v1/tickets',
      { studioId, category: 'help', content: '小区门口的路灯坏了一个月了。' },
      { 'idempotency-key': idempotencyKey() },
    );
    const id = submitted.json().id as string;
    await inject(member, 'POST', `/api/v1/tickets/${id}/replies`, { content: '已报修，本周修好。' });
    const resolvedAt = Date.now();
    await inject(member, 'POST', `/api/v1/tickets/${id}/resolve`, { outcome: 'none' });

    // Not before the delay.
    expect((await answer(resident, id, { settled: true })).json().code).toBe('FOLLOW_UP_NOT_ASKED');
    const ticket = await asked(resident, id);
    expect(new Date(ticket.followUp!.askedAt).getTime() - resolvedAt).toBeGreaterThanOrEqual(1900);
    expect(ticket.timeline.map((e) => e.type)).toContain('follow_up');
    await eventually(async () => (await notices(resident)).some((n) => n.ticketId === id && n.kind === 'follow_up'));
    await eventually(async () => (await messagesTo(openid)).some((m) => m.template_id === 'tmpl-follow_up'));
    const message = (await messagesTo(openid)).find((m) => m.template_id === 'tmpl-follow_up')!;
    expect(message.page).toBe(`pages/ticket/index?id=${id}`);
    for (const [key, { value }] of Object.entries(message.data))
      if (key.startsWith('thing')) expect([...value].length).toBeLessThanOrEqual(20);

    const settled = await answer(resident, id, { settled: true, comment: '路灯已经修好了，谢谢！' });
    expect(settled.statusCode).toBe(200);
    const after = settled.json() as TicketDetail;
    expect(after.status).toBe('resolved');
    expect(after.followUp).toMatchObject({ settled: true });
    expect(after.timeline.at(-1)).toMatchObject({
      type: 'follow_up_settled',
      content: '路灯已经修好了，谢谢！',
      actor: { role: 'resident' },
    });
    expect((await answer(resident, id, { settled: false })).json().code).toBe('FOLLOW_UP_ANSWERED');
    // Asked once per resolution, however often the sweeper runs.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await detail(resident, id)).timeline.filter((e) => e.type === 'follow_up')).toHaveLength(1);
  });

  it('reopens the ticket to its studio when the resident says it is not settled, even past the 7-day reopen window', async () => {
    const { resident, id } = await resolvedTicket('followup-resident-2', '河道里漂着很多垃圾，气味很大。');
    await asked(resident, id);
    // The follow-up comes long after the resolve: the ordinary reopen is closed by then.
    await rewriteTickets(stack, id, {
      resolvedAt: new Date(Date.now() - 10 * 86_400_000),
      'followUp.resolvedAt': new Date(Date.now() - 10 * 86_400_000),
    });
    expect((await inject(resident, 'POST', `/api/v1/tickets/${id}/reopen`, { reason: '还是很脏' })).json().code).toBe(
      'REOPEN_WINDOW_PASSED',
    );

    const res = await answer(resident, id, { settled: false, comment: '垃圾清了又有了，没有根本解决。' });
    expect(res.statusCode).toBe(200);
    const reopened = res.json() as TicketDetail;
    expect(reopened).toMatchObject({
      status: 'assigned',
      answeredAt: null,
      resolvedAt: null,
      outcome: null,
      followUp: { settled: false },
    });
    expect(new Date(reopened.dueAt).getTime()).toBeGreaterThan(Date.now());
    expect(reopened.timeline.slice(-2).map((e) => e.type)).toEqual(['follow_up_unsettled', 'reopened']);
    expect(reopened.timeline.at(-1)!.content).toContain('垃圾清了又有了');
    // The member is told, as for any reopen, and the ticket is back in the studio's open list.
    await eventually(async () =>
      (await notices(member)).some((n) => n.ticketId === id && n.kind === 'ticket_reopened'),
    );
    const open = (await inject(member, 'GET', `/api/v1/tickets?studioId=${studioId}&status=assigned`)).json() as {
      items: { id: string }[];
    };
    expect(open.items.map((t) => t.id)).toContain(id);

    // Answered again and resolved again: a new follow-up for the new resolution.
    await inject(member, 'POST', `/api/v1/tickets/${id}/replies`, {
      content: '已协调环卫每日清理，并在上游加装拦网。',
    });
    await inject(member, 'POST', `/api/v1/tickets/${id}/resolve`, {});
    await eventually(
      async () => (await detail(resident, id)).timeline.filter((e) => e.type === 'follow_up').length === 2,
      15_000,
    );
    const second = await detail(resident, id);
    expect(second.followUp).toMatchObject({ answeredAt: null, settled: null });
    expect(second.timeline.filter((e) => e.type === 'follow_up')).toHaveLength(2);
  });

  it('asks nothing when the resident reopened before the follow-up was due', async () => {
    const { resident, id } = await resolvedTicket('followup-resident-3', '公交站的雨棚漏雨。');
    expect((await inject(resident, 'POST', `/api/v1/tickets/${id}/reopen`, { reason: '还在漏' })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const ticket = await detail(resident, id);
    expect(ticket.followUp).toBeNull();
    expect(ticket.timeline.map((e) => e.type)).not.toContain('follow_up');
    expect(await stack.app.models.FollowUpDue.countDocuments({ _id: id })).toBe(0);
  });

  it('still asks when the delayed job was lost (the sweeper finds the pending follow-up)', async () => {
    const { resident, id } = await resolvedTicket('followup-resident-4', '菜市场门口的井盖松动了。');
    const jobs = await stack.app.queues.operations.getJobs(['delayed', 'waiting']);
    const job = jobs.find((j) => j.name === 'follow-up' && (j.data as { ticketId: string }).ticketId === id);
    expect(job).toBeDefined();
    await job!.remove();
    const ticket = await asked(resident, id);
    expect(ticket.timeline.filter((e) => e.type === 'follow_up')).toHaveLength(1);
  });

  it('counts follow-up answers in the statistics, and only lets the ticket’s resident answer', async () => {
    const { resident, id } = await resolvedTicket('followup-resident-5', '路口红绿灯时间太短。');
    await asked(resident, id);
    const stranger = await signInResident(stack.app, 'followup-stranger');
    expect((await answer(stranger, id, { settled: true })).statusCode).toBe(404);
    expect((await answer(member, id, { settled: true })).statusCode).toBe(403);
    expect((await answer(resident, id, { comment: '没有说解决没有' })).statusCode).toBe(400);
    await answer(resident, id, { settled: true });

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const stats = (await inject(admin, 'GET', `/api/v1/admin/stats?from=${today}&to=${today}`)).json() as {
      groups: StatsGroup[];
    };
    const mine = stats.groups.find((g) => g.key === studioId)!;
    // Tickets 1 (settled), 2 (unsettled, then asked again), 4 (asked), 5 (settled); 3 was never asked.
    expect(mine.followUps).toEqual({ asked: 5, settled: 2, unsettled: 1 });
  });
});
