import { startTestStack, eventually, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { startWorkers, type RunningWorkers } from '../src/workers/runtime';

/**
 * Long-term subscribe messages (长期性订阅消息): members accept once and hear of every new ticket until
 * they turn it off in WeChat's settings; the state follows WeChat's subscribe-message events. The fake
 * WeChat enforces consent here as WeChat does.
 */
const LONG_TERM = ['ticket_assigned', 'deadline_reminder', 'ticket_overdue', 'ticket_escalated'];

describe('long-term subscribe messages', () => {
  let stack: TestStack;
  let workers: RunningWorkers;
  let member: Caller & { memberId: string };
  let resident: Caller;
  let memberOpenid: string;
  let studioId: string;

  const fake = async <T>(path: string, body?: object): Promise<T> =>
    (
      await fetch(`${stack.wechatUrl}${path}`, {
        method: body ? 'POST' : 'GET',
        ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      })
    ).json() as Promise<T>;
  const messagesTo = (openid: string) => fake<unknown[]>(`/__fake/subscribe-messages?touser=${openid}`);
  const state = async (caller: Caller) =>
    (await stack.app.inject({ method: 'GET', url: '/api/v1/me/subscriptions', headers: caller.headers })).json() as {
      templates: Record<string, { longTerm: boolean; state: string; credits: number; willNotify: boolean }>;
    };
  const submit = async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...resident.headers, 'idempotency-key': idempotencyKey() },
      payload: { studioId, category: 'help', content: '小区电梯经常停运，老人上下楼很困难。' },
    });
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  };
  const noticeState = async (ticketId: string) => {
    const notice = await stack.app.models.Notification.findOne({ ticketId, kind: 'ticket_assigned' }).lean();
    return notice?.wechat.state;
  };

  beforeAll(async () => {
    stack = await startTestStack({ WECHAT_LONG_TERM_TEMPLATES: LONG_TERM.join(','), NOTIFY_BACKOFF_MS: '50' });
    workers = await startWorkers(stack.config, { logStream: stack.logs });
    await fake('/__fake/subscriptions', { enforce: true, longTerm: LONG_TERM.map((key) => `tmpl-${key}`) });
    const admin = await signInAdmin(stack.app);
    const studio = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/admin/studios',
      headers: admin.headers,
      payload: { name: '长期订阅测试工作室', kind: 'sector', sector: '科技界' },
    });
    studioId = (studio.json() as { id: string }).id;
    const created = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/admin/members',
      headers: admin.headers,
      payload: { name: '订阅委员', title: '委员', studioIds: [studioId] },
    });
    member = await signInMember(stack.app, admin, (created.json() as { id: string }).id, 'long-term-member');
    memberOpenid = (await fake<{ openid: string }>('/__fake/openid?code=long-term-member')).openid;
    resident = await signInResident(stack.app, 'long-term-resident');
  });
  afterAll(async () => {
    await workers?.close();
    await stack?.close();
  });

  it('says which notices are long-term and that nothing reaches WeChat before consent', async () => {
    const { templates } = await state(member);
    expect(templates.ticket_assigned).toEqual({ longTerm: true, state: 'unknown', credits: 0, willNotify: false });
    expect(templates.ticket_replied).toMatchObject({ longTerm: false, willNotify: false });
    const ticketId = await submit();
    await eventually(async () => (await noticeState(ticketId)) === 'no_consent');
    expect(await messagesTo(memberOpenid)).toHaveLength(0);
  });

  it('after one acceptance in WeChat’s popup, tells the member of every new ticket', async () => {
    await fake('/__fake/subscribe', { openid: memberOpenid, templateId: 'tmpl-ticket_assigned', choice: 'accept' });
    await eventually(async () => (await state(member)).templates.ticket_assigned!.willNotify);
    expect((await state(member)).templates.ticket_assigned).toMatchObject({ state: 'accept', willNotify: true });
    const tickets = [await submit(), await submit(), await submit()];
    await eventually(async () => (await messagesTo(memberOpenid)).length === 3);
    for (const id of tickets) expect(await noticeState(id)).toBe('sent');
  });

  it('stops when the member turns it off in WeChat’s settings, keeping the in-app notice', async () => {
    await fake('/__fake/subscribe', {
      openid: memberOpenid,
      templateId: 'tmpl-ticket_assigned',
      choice: 'reject',
      via: 'settings',
    });
    await eventually(async () => (await state(member)).templates.ticket_assigned!.state === 'reject');
    const before = (await messagesTo(memberOpenid)).length;
    const ticketId = await submit();
    await eventually(async () => (await noticeState(ticketId)) === 'no_consent');
    expect(await messagesTo(memberOpenid)).toHaveLength(before);
    const inApp = await stack.app.models.Notification.countDocuments({ ticketId, kind: 'ticket_assigned' });
    expect(inApp).toBe(1);
  });

  it('learns of a refusal it was not told about from the send result WeChat pushes', async () => {
    // Accepted again (the API is told), then turned off with the event lost: the API still thinks yes.
    await fake('/__fake/subscribe', { openid: memberOpenid, templateId: 'tmpl-ticket_assigned', choice: 'accept' });
    await eventually(async () => (await state(member)).templates.ticket_assigned!.state === 'accept');
    await fake('/__fake/subscribe', {
      openid: memberOpenid,
      templateId: 'tmpl-ticket_assigned',
      choice: 'reject',
      via: 'settings',
      push: false,
    });
    const ticketId = await submit();
    await eventually(async () => (await noticeState(ticketId)) === 'no_consent');
    await eventually(async () => (await state(member)).templates.ticket_assigned!.state === 'reject');
    expect((await state(member)).templates.ticket_assigned!.willNotify).toBe(false);
  });
});
