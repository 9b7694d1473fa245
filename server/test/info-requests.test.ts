import type { StatsGroup, TicketDetail } from '@mashangshang/shared';
import { eventually, rewriteTickets, startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { startWorkers, type RunningWorkers } from '../src/workers/runtime';
import { BusinessCalendar } from '../src/lib/china-calendar';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Tickets wait three days for their resident (the default is seven); the sweeper looks every second. */
const SETTINGS = {
  INFO_WAIT_CLOSE_AFTER_SECONDS: String(3 * 86400),
  INFO_WAIT_SWEEP_INTERVAL_SECONDS: '1',
  NOTIFY_SWEEP_INTERVAL_SECONDS: '1',
  NOTIFY_BACKOFF_MS: '50',
};

interface FakeMessage {
  touser: string;
  template_id: string;
  page: string;
  data: Record<string, { value: string }>;
}

describe('待补充: the clock paused while the studio waits on the resident', () => {
  let stack: TestStack;
  let workers: RunningWorkers;
  let admin: Caller;
  let member: Caller & { memberId: string };
  let colleague: Caller & { memberId: string };
  let outsider: Caller & { memberId: string };
  let studioId: string;
  let workdayStudioId: string;

  const inject = (caller: Caller, method: 'GET' | 'POST', url: string, payload?: object) =>
    stack.app.inject({ method, url, payload, headers: caller.headers });
  const detail = async (caller: Caller, id: string) =>
    (await inject(caller, 'GET', `/api/v1/tickets/${id}`)).json() as TicketDetail;
  const notices = async (caller: Caller) =>
    (
      (await inject(caller, 'GET', '/api/v1/me/notifications')).json() as {
        items: { kind: string; ticketId: string; body: string }[];
      }
    ).items;
  const ask = (caller: Caller, id: string, question: string) =>
    inject(caller, 'POST', `/api/v1/tickets/${id}/info-request`, { question });
  const supply = (caller: Caller, id: string, content: string) =>
    inject(caller, 'POST', `/api/v1/tickets/${id}/info`, { content });
  const stored = (id: string) => stack.app.models.Ticket.findById(id).lean();

  async function submit(resident: Caller, content: string, studio = studioId): Promise<string> {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { studioId: studio, category: 'help', content },
      headers: { ...resident.headers, 'idempotency-key': idempotencyKey() },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  }

  beforeAll(async () => {
    stack = await startTestStack(SETTINGS);
    workers = await startWorkers(stack.config, { logStream: stack.logs });
    admin = await signInAdmin(stack.app);
    const studio = async (body: object) => (await inject(admin, 'POST', '/api/v1/admin/studios', body)).json().id;
    studioId = await studio({ name: '补充信息测试工作室', kind: 'town', town: '补充镇' });
    workdayStudioId = await studio({
      name: '工作日补充测试工作室',
      kind: 'town',
      town: '工作日镇',
      slaUnit: 'workdays',
      slaWorkdays: 2,
    });
    const otherStudio = await studio({ name: '别处工作室', kind: 'town', town: '别处镇' });
    const newMember = async (name: string, studios: string[], code: string) => {
      const m = await inject(admin, 'POST', '/api/v1/admin/members', { name, title: '委员', studioIds: studios });
      return signInMember(stack.app, admin, m.json().id, code);
    };
    member = await newMember('补充委员', [studioId, workdayStudioId], 'info-member');
    colleague = await newMember('同事委员', [studioId], 'info-colleague');
    outsider = await newMember('别处委员', [otherStudio], 'info-outsider');
  });
  afterAll(async () => {
    await workers?.close();
    await stack?.close();
  });

  it('pauses the deadline while waiting and resumes it with the time that was left; the first response leaves the pause out', async () => {
    const openid = (
      (await (await fetch(`${stack.wechatUrl}/__fake/openid?code=info-resident-1`)).json()) as { openid: string }
    ).openid;
    const resident = await signInResident(stack.app, 'info-resident-1');
    await inject(resident, 'POST', '/api/v1/me/subscriptions', { accepted: ['ticket_replied', 'info_requested'] });
    const id = await submit(resident, '我家楼下的路灯不亮了，晚上出门很不方便。');
    const assigneeId = (await stored(id))!.assigneeId!;
    const assignee = [member, colleague].find((m) => m.memberId === String(assigneeId))!;

    const asked = await ask(assignee, id, '请问是哪个小区、哪一栋楼下的路灯？');
    expect(asked.statusCode).toBe(200);
    const waiting = asked.json() as TicketDetail;
    expect(waiting.status).toBe('waiting');
    expect(waiting.waiting).toMatchObject({ question: '请问是哪个小区、哪一栋楼下的路灯？' });
    expect(new Date(waiting.waiting!.until!).getTime() - new Date(waiting.waiting!.since).getTime()).toBe(3 * DAY);

    // The resident sees the question, in the app and by WeChat (they consented).
    const seen = await detail(resident, id);
    expect(seen.status).toBe('waiting');
    expect(seen.waiting!.question).toContain('哪一栋楼');
    expect(seen.timeline.at(-1)).toMatchObject({
      type: 'info_requested',
      content: '请问是哪个小区、哪一栋楼下的路灯？',
    });
    await eventually(async () =>
      (await notices(resident)).some((n) => n.ticketId === id && n.kind === 'info_requested'),
    );
    await eventually(async () => {
      const sent = (await (
        await fetch(`${stack.wechatUrl}/__fake/subscribe-messages?touser=${openid}`)
      ).json()) as FakeMessage[];
      return sent.some((m) => m.template_id === 'tmpl-info_requested' && m.page === `pages/ticket/index?id=${id}`);
    });

    // While it waits the studio cannot answer it, nor ask twice.
    const reply = await inject(assignee, 'POST', `/api/v1/tickets/${id}/replies`, { content: '好的' });
    expect(reply.statusCode).toBe(409);
    expect(reply.json()).toMatchObject({ code: 'TICKET_WAITING', message: expect.stringContaining('补充') });
    expect((await ask(assignee, id, '还有别的吗？')).json().code).toBe('TICKET_WAITING');

    // As if submitted five hours ago and paused two hours ago, with 20 hours of its deadline left.
    const now = Date.now();
    await rewriteTickets(stack, id, {
      createdAt: new Date(now - 5 * HOUR),
      waitingSince: new Date(now - 2 * HOUR),
      dueAt: new Date(now - 2 * HOUR + 20 * HOUR),
    });
    const supplied = await supply(resident, id, '是幸福小区 3 栋楼下，靠近南门的那一盏。');
    expect(supplied.statusCode).toBe(200);
    const resumed = supplied.json() as TicketDetail;
    expect(resumed.status).toBe('assigned');
    expect(resumed.waiting).toBeNull();
    const dueIn = new Date(resumed.dueAt).getTime() - Date.now();
    expect(dueIn).toBeGreaterThan(20 * HOUR - 60_000);
    expect(dueIn).toBeLessThanOrEqual(20 * HOUR);
    expect(resumed.timing!.pausedMinutes).toBe(120);
    expect(resumed.timeline.at(-1)).toMatchObject({ type: 'info_supplied', actor: { role: 'resident' } });
    // The assignee is told.
    await eventually(async () =>
      (await notices(assignee)).some((n) => n.ticketId === id && n.kind === 'info_supplied'),
    );
    expect((await notices(assignee)).find((n) => n.kind === 'info_supplied')!.body).toContain('幸福小区');

    const answered = await inject(assignee, 'POST', `/api/v1/tickets/${id}/replies`, { content: '已报修，明天修好。' });
    expect(answered.statusCode).toBe(201);
    const afterReply = await detail(assignee, id);
    // Five hours since submit, two of them waiting on the resident: three hours count.
    expect(afterReply.timing!.firstResponseMinutes).toBe(180);
    const resolved = (await inject(assignee, 'POST', `/api/v1/tickets/${id}/resolve`, {})).json() as TicketDetail;
    expect(resolved.timing!.resolveMinutes).toBe(180);

    // A supply after the wait ended is refused with words the resident understands.
    const late = await supply(resident, id, '还有一盏也不亮');
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'INFO_NOT_REQUESTED', message: expect.stringContaining('不需要补充') });
  });

  it('resumes a working-day deadline with the working days that were left', async () => {
    const resident = await signInResident(stack.app, 'info-resident-2');
    const id = await submit(resident, '社区卫生服务站周末能不能开门？', workdayStudioId);
    expect((await ask(member, id, '请问您说的是哪个社区的服务站？')).statusCode).toBe(200);
    // Paused on Monday 16 November 2026 with the deadline at the end of Wednesday: two working days left.
    await rewriteTickets(stack, id, {
      waitingSince: new Date('2026-11-16T02:00:00Z'),
      dueAt: new Date('2026-11-18T15:59:59.999Z'),
    });
    const resumed = (await supply(resident, id, '是城东社区。')).json() as TicketDetail;
    const expected = new BusinessCalendar().workdayDeadline(new Date(), 2);
    expect(resumed.dueAt).toBe(expected.toISOString());
  });

  it('closes a ticket as 未补充 when the wait runs out, tells the resident, and lets them reopen it', async () => {
    const resident = await signInResident(stack.app, 'info-resident-3');
    const id = await submit(resident, '小区里有人占用消防通道停车。');
    expect((await ask(member, id, '请提供具体位置和车牌号，方便我们核实。')).statusCode).toBe(200);
    await rewriteTickets(stack, id, { waitingSince: new Date(Date.now() - 3 * DAY), waitingUntil: new Date() });
    await eventually(async () => (await detail(resident, id)).status === 'resolved', 15_000);
    const closed = await detail(resident, id);
    expect(closed).toMatchObject({ closedUnsupplied: true, outcome: 'none', waiting: null });
    expect(closed.timeline.find((e) => e.type === 'closed_unsupplied')).toMatchObject({
      type: 'closed_unsupplied',
      content: expect.stringContaining('未补充'),
    });
    expect(closed.timing!.pausedMinutes).toBeGreaterThanOrEqual(3 * 24 * 60);
    await eventually(async () =>
      (await notices(resident)).some((n) => n.ticketId === id && n.kind === 'closed_unsupplied'),
    );
    // Not a resolution to ask about: no 回头看 follow-up is due.
    expect(await stack.app.models.FollowUpDue.countDocuments({ _id: id })).toBe(0);
    // The resident can still come back within the reopen window.
    const reopened = await inject(resident, 'POST', `/api/v1/tickets/${id}/reopen`, { reason: '位置是 5 栋北侧' });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'assigned', closedUnsupplied: false });
  });

  it('keeps a ticket waiting through a reassignment and brings the answer to the new assignee', async () => {
    const resident = await signInResident(stack.app, 'info-resident-4');
    const id = await submit(resident, '想咨询老年人助餐点的报名方式。');
    const first = String((await stored(id))!.assigneeId);
    const firstMember = first === member.memberId ? member : colleague;
    const other = first === member.memberId ? colleague : member;
    expect((await ask(firstMember, id, '请问您住在哪个村（社区）？')).statusCode).toBe(200);
    const moved = await inject(admin, 'POST', `/api/v1/tickets/${id}/assign`, { memberId: other.memberId });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ status: 'waiting', assignee: { id: other.memberId } });
    await supply(resident, id, '住在东湖村。');
    await eventually(async () => (await notices(other)).some((n) => n.ticketId === id && n.kind === 'info_supplied'));
  });

  it('refuses what a role or a state does not allow', async () => {
    const resident = await signInResident(stack.app, 'info-resident-5');
    const stranger = await signInResident(stack.app, 'info-stranger');
    const id = await submit(resident, '村口的垃圾桶太少了，经常满出来。');
    expect((await ask(outsider, id, '请补充位置')).statusCode).toBe(404);
    expect((await ask(resident, id, '请补充位置')).statusCode).toBe(403);
    const blank = await ask(member, id, '  。 ');
    expect(blank.statusCode).toBe(400);
    expect(blank.json().message).toContain('补充');
    expect((await supply(resident, id, '东头')).json().code).toBe('INFO_NOT_REQUESTED');
    expect((await ask(admin, id, '请问是哪个村？')).statusCode).toBe(200);
    expect((await supply(stranger, id, '东头')).statusCode).toBe(404);
    expect((await supply(member, id, '东头')).statusCode).toBe(403);
    expect((await supply(resident, id, '')).statusCode).toBe(400);
  });

  it('leaves waiting out of the studio’s response rate and counts paused tickets, paused hours and 未补充 closures', async () => {
    const resident = await signInResident(stack.app, 'info-resident-6');
    const id = await submit(resident, '公交车站的座椅坏了。');
    expect((await ask(member, id, '请问是哪一路公交的哪个站？')).statusCode).toBe(200);
    // Past its deadline while waiting: not overdue, nothing to remind.
    await rewriteTickets(stack, id, { dueAt: new Date(Date.now() - HOUR) });
    const board = (await inject(admin, 'GET', '/api/v1/tickets?overdue=true&limit=100')).json() as {
      items: { id: string }[];
    };
    expect(board.items.map((t) => t.id)).not.toContain(id);

    const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
    const stats = (await inject(admin, 'GET', `/api/v1/admin/stats?from=${today}&to=${today}`)).json() as {
      groups: StatsGroup[];
    };
    const mine = stats.groups.find((g) => g.key === studioId)!;
    // Tickets of this studio today: 1 resolved after a pause, 3 closed 未补充 then reopened,
    // 4 supplied, 5 waiting, 6 waiting (the one above).
    expect(mine.byStatus.waiting).toBe(2);
    expect(mine.infoRequests.tickets).toBe(5);
    expect(mine.infoRequests.pausedHours).toBeGreaterThanOrEqual(2 + 72);
    expect(mine.infoRequests.closedUnsupplied).toBe(0); // reopened since
    expect(mine.averageResolveHours).toBe(3);
    // The two waiting tickets are not due: nothing counts against the studio for them.
    expect(mine.due).toBe(mine.tickets - 2 - (mine.byStatus.assigned + mine.byStatus.pending));
  });
});
