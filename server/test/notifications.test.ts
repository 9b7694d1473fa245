import { rewriteTickets, startTestStack, eventually, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';
import { startWorkers, type RunningWorkers } from '../src/workers/runtime';
import { scheduleDeadlines } from '../src/queues';

interface FakeMessage {
  touser: string;
  template_id: string;
  page: string;
  data: Record<string, { value: string }>;
}

const FAST = {
  NOTIFY_SWEEP_INTERVAL_SECONDS: '1',
  NOTIFY_REQUEUE_AFTER_SECONDS: '2',
  NOTIFY_BACKOFF_MS: '50',
  NOTIFY_SEND_ATTEMPTS: '4',
  DEADLINE_REMIND_BEFORE_SECONDS: '2',
  DEADLINE_ESCALATE_AFTER_SECONDS: '2',
};

describe('notifications and deadlines', () => {
  let stack: TestStack;
  let workers: RunningWorkers;
  let admin: Caller;
  let studioId: string;
  let member: Caller & { memberId: string };
  let memberOpenid: string;

  const fake = async <T>(path: string, init?: RequestInit): Promise<T> =>
    (await fetch(`${stack.wechatUrl}${path}`, init)).json() as Promise<T>;
  const openidOf = async (code: string) => (await fake<{ openid: string }>(`/__fake/openid?code=${code}`)).openid;
  const messagesTo = (openid: string) => fake<FakeMessage[]>(`/__fake/subscribe-messages?touser=${openid}`);
  const fault = (body: object) =>
    fake('/__fake/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const inject = (
    caller: Caller,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) => stack.app.inject({ method, url, payload, headers: { ...caller.headers, ...headers } });
  const submit = (resident: Caller, content = '村口的桥栏杆松动了，孩子上学经过很危险。') =>
    inject(
      resident,
      'POST',
      '/api/v1/tickets',
      { studioId, category: 'help', content },
      { 'idempotency-key': idempotencyKey() },
    );
  const subscribe = (caller: Caller, accepted: string[]) =>
    inject(caller, 'POST', '/api/v1/me/subscriptions', { accepted });
  const inbox = async (caller: Caller) =>
    (await inject(caller, 'GET', '/api/v1/me/notifications')).json() as {
      items: { kind: string; ticketId: string; title: string }[];
      unreadCount: number;
    };

  beforeAll(async () => {
    stack = await startTestStack(FAST);
    workers = await startWorkers(stack.config, { logStream: stack.logs });
    await seedDemoData(stack.app.models);
    admin = await signInAdmin(stack.app);
    // A studio with a single member, so every ticket goes to that member.
    const created = await inject(admin, 'POST', '/api/v1/admin/studios', {
      name: '通知测试工作室',
      kind: 'sector',
      sector: '科技界',
    });
    studioId = created.json().id;
    const m = await inject(admin, 'POST', '/api/v1/admin/members', {
      name: '测试委员',
      title: '市政协委员',
      studioIds: [studioId],
      leadOf: [studioId],
    });
    member = await signInMember(stack.app, admin, m.json().id, 'notify-member');
    memberOpenid = await openidOf('notify-member');
  });
  afterAll(async () => {
    await workers?.close();
    await stack?.close();
  });
  afterEach(async () => {
    await fake('/__fake/faults', { method: 'DELETE' });
  });

  it('tells the member of a new ticket over WeChat when they consented, and always in the app', async () => {
    expect((await subscribe(member, ['ticket_assigned'])).json().credits.ticket_assigned).toBeGreaterThanOrEqual(1);
    const before = (await messagesTo(memberOpenid)).length;
    const resident = await signInResident(stack.app, 'notify-resident-1');
    const ticket = (await submit(resident)).json();
    await eventually(async () => (await messagesTo(memberOpenid)).length === before + 1);
    const message = (await messagesTo(memberOpenid)).at(-1)!;
    expect(message.template_id).toBe('tmpl-ticket_assigned');
    expect(message.page).toContain(ticket.id);
    expect(message.data.character_string1!.value).toBe(ticket.no);
    for (const [key, { value }] of Object.entries(message.data)) {
      if (key.startsWith('thing')) expect([...value].length).toBeLessThanOrEqual(20);
    }
    await eventually(async () =>
      (await inbox(member)).items.some((n) => n.ticketId === ticket.id && n.kind === 'ticket_assigned'),
    );
    // The timeline records the delivery.
    await eventually(async () =>
      (await inject(admin, 'GET', `/api/v1/tickets/${ticket.id}`))
        .json()
        .timeline.some((e: { type: string }) => e.type === 'notified'),
    );
  });

  it('tells the resident of the first public reply, once, and never about internal notes', async () => {
    const resident = await signInResident(stack.app, 'notify-resident-2');
    const residentOpenid = await openidOf('notify-resident-2');
    await subscribe(resident, ['ticket_replied']);
    await subscribe(resident, ['ticket_replied']);
    const ticket = (await submit(resident)).json();
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/replies`, {
      content: '内部：联系了交通办',
      internal: true,
    });
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/replies`, {
      content: '您好，已联系镇交通办，本周内加固栏杆，请注意安全。',
    });
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/replies`, { content: '补充：施工期间请绕行。' });
    await eventually(async () => (await messagesTo(residentOpenid)).length === 1);
    const [message] = await messagesTo(residentOpenid);
    expect(message!.template_id).toBe('tmpl-ticket_replied');
    expect(message!.data.name3!.value).toBe('测试委员');
    expect([...message!.data.thing2!.value].length).toBeLessThanOrEqual(20);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await messagesTo(residentOpenid)).toHaveLength(1);
    const notices = await inbox(resident);
    expect(notices.items.filter((n) => n.ticketId === ticket.id).map((n) => n.kind)).toEqual(['ticket_replied']);
    expect(notices.unreadCount).toBe(1);
    const read = await inject(resident, 'POST', '/api/v1/me/notifications/read', { all: true });
    expect(read.json().unreadCount).toBe(0);
  });

  it('falls back to the in-app list when the resident gave no consent, or WeChat answers 43101', async () => {
    const resident = await signInResident(stack.app, 'notify-resident-3');
    const openid = await openidOf('notify-resident-3');
    const first = (await submit(resident)).json();
    await inject(member, 'POST', `/api/v1/tickets/${first.id}/replies`, { content: '已收到，正在处理。' });
    await eventually(async () => (await inbox(resident)).items.some((n) => n.ticketId === first.id));
    // The in-app copy is written before the WeChat step decides: wait for that decision.
    await eventually(
      async () =>
        (await stack.app.models.Notification.findOne({ ticketId: first.id, kind: 'ticket_replied' }).lean())?.wechat
          .state === 'no_consent',
    );

    await subscribe(resident, ['ticket_replied']);
    await fault({ path: '/cgi-bin/message/subscribe/send', mode: 'errcode', errcode: 43101, times: 1 });
    const second = (await submit(resident)).json();
    await inject(member, 'POST', `/api/v1/tickets/${second.id}/replies`, { content: '已收到，正在处理。' });
    await eventually(
      async () =>
        (await stack.app.models.Notification.findOne({ ticketId: second.id, kind: 'ticket_replied' }).lean())?.wechat
          .state === 'no_consent',
    );
    expect(await messagesTo(openid)).toHaveLength(0);
    expect((await inbox(resident)).items.some((n) => n.ticketId === second.id)).toBe(true);
  });

  it('delivers exactly once when WeChat fails three times first', async () => {
    const resident = await signInResident(stack.app, 'notify-resident-4');
    const openid = await openidOf('notify-resident-4');
    await subscribe(resident, ['ticket_replied']);
    const ticket = (await submit(resident)).json();
    await fault({ path: '/cgi-bin/message/subscribe/send', mode: 'http500', times: 3 });
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/replies`, { content: '您好，问题已转交。' });
    await eventually(async () => (await messagesTo(openid)).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await messagesTo(openid)).toHaveLength(1);
  });

  it('shows a notice whose attempts all failed to admins, who can send it again', async () => {
    const resident = await signInResident(stack.app, 'notify-resident-5');
    const openid = await openidOf('notify-resident-5');
    await subscribe(resident, ['ticket_replied']);
    const ticket = (await submit(resident)).json();
    // The member's notice of the new ticket goes first: a send of it would use up one of the faults.
    await eventually(
      async () => (await stack.app.models.Ticket.findById(ticket.id).lean())?.noticesPendingSince === null,
    );
    await fault({ path: '/cgi-bin/message/subscribe/send', mode: 'http500', times: 4 });
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/replies`, { content: '您好，问题已转交。' });
    let failedId = '';
    await eventually(async () => {
      const failed = (await inject(admin, 'GET', '/api/v1/admin/notifications/failed')).json();
      const hit = failed.items.find((n: { ticketId: string }) => n.ticketId === ticket.id);
      failedId = hit?.id ?? '';
      return Boolean(hit);
    });
    const detail = (await inject(admin, 'GET', `/api/v1/tickets/${ticket.id}`)).json();
    expect(detail.timeline.some((e: { type: string }) => e.type === 'notify_failed')).toBe(true);
    expect((await inbox(resident)).items.some((n) => n.ticketId === ticket.id)).toBe(true);

    const retry = await inject(admin, 'POST', `/api/v1/admin/notifications/${failedId}/retry`);
    expect(retry.statusCode).toBe(202);
    await eventually(async () => (await messagesTo(openid)).length === 1);
    expect((await inject(resident, 'POST', `/api/v1/admin/notifications/${failedId}/retry`)).statusCode).toBe(403);
  });

  it('reminds, then marks overdue, then escalates to studio leads and admins when nobody answers', async () => {
    const resident = await signInResident(stack.app, 'notify-resident-6');
    const ticket = (await submit(resident)).json();
    // A deadline seconds away, through the delayed-job path (the sweeper would schedule the same jobs).
    const dueAt = new Date(Date.now() + 3000);
    const updated = await stack.app.models.Ticket.findByIdAndUpdate(
      ticket.id,
      { $set: { dueAt } },
      { new: true },
    ).lean();
    await scheduleDeadlines(stack.app.queues, updated!, stack.config.notifications, stack.app.log);
    await eventually(async () => {
      const kinds = (await inbox(member)).items.filter((n) => n.ticketId === ticket.id).map((n) => n.kind);
      return ['deadline_reminder', 'ticket_overdue'].every((k) => kinds.includes(k));
    }, 20_000);
    // Escalation goes past the assignee: to the studio's other lead members and to the office.
    await eventually(
      async () => (await inbox(admin)).items.some((n) => n.ticketId === ticket.id && n.kind === 'ticket_escalated'),
      20_000,
    );
    const detail = (await inject(admin, 'GET', `/api/v1/tickets/${ticket.id}`)).json();
    expect(detail.overdue).toBe(true);
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(1);
    const board = (await inject(admin, 'GET', '/api/v1/tickets?overdue=true')).json();
    expect(board.items.map((t: { id: string }) => t.id)).toContain(ticket.id);
  });

  it('sends no deadline notice for a ticket answered in time', async () => {
    const resident = await signInResident(stack.app, 'notify-resident-7');
    const ticket = (await submit(resident)).json();
    await rewriteTickets(stack, ticket.id, { dueAt: new Date(Date.now() + 2500) });
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/replies`, { content: '马上处理。' });
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const kinds = (await inbox(member)).items.filter((n) => n.ticketId === ticket.id).map((n) => n.kind);
    expect(kinds).toEqual(['ticket_assigned']);
  });

  it('tells the member when the resident reopens', async () => {
    const resident = await signInResident(stack.app, 'notify-resident-8');
    const ticket = (await submit(resident)).json();
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/replies`, { content: '已处理。' });
    await inject(member, 'POST', `/api/v1/tickets/${ticket.id}/resolve`, { outcome: 'none' });
    await inject(resident, 'POST', `/api/v1/tickets/${ticket.id}/reopen`, { reason: '问题仍然存在' });
    await eventually(async () =>
      (await inbox(member)).items.some((n) => n.ticketId === ticket.id && n.kind === 'ticket_reopened'),
    );
  });

  it('loses no notice when Redis is down while tickets are submitted', async () => {
    const resident = await signInResident(stack.app, 'notify-resident-9');
    await stack.services.redis.stop();
    const ids: string[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const res = await submit(resident, `停电期间提交的第 ${i + 1} 条留言，请委员关注。`);
        expect(res.statusCode).toBe(201);
        ids.push(res.json().id);
      }
    } finally {
      await stack.services.redis.restart();
    }
    await eventually(async () => {
      const notices = (await inbox(member)).items;
      return ids.every((id) => notices.some((n) => n.ticketId === id && n.kind === 'ticket_assigned'));
    }, 30_000);
    for (const id of ids) {
      expect(await stack.app.models.Notification.countDocuments({ ticketId: id, kind: 'ticket_assigned' })).toBe(1);
    }
  });
});
