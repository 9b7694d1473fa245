import { imageChecksSettled, rewriteTickets, startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';
import { uploadPng } from './helpers/uploads';

describe('the life of a ticket', () => {
  let stack: TestStack;
  let admin: Caller;
  let studioId: string;
  let memberA: Caller & { memberId: string };
  let memberB: Caller & { memberId: string };
  let outsider: Caller & { memberId: string };

  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoData(stack.app.models);
    admin = await signInAdmin(stack.app);
    const studio = await stack.app.models.Studio.findOne({ code: 'hnyw' }).lean();
    const other = await stack.app.models.Studio.findOne({ code: 'hnxs' }).lean();
    studioId = String(studio!._id);
    const members = await stack.app.models.Member.find({ studioIds: studio!._id }).sort({ _id: 1 }).lean();
    const otherMember = await stack.app.models.Member.findOne({ studioIds: other!._id }).lean();
    memberA = await signInMember(stack.app, admin, String(members[0]!._id), 'member-a');
    memberB = await signInMember(stack.app, admin, String(members[1]!._id), 'member-b');
    outsider = await signInMember(stack.app, admin, String(otherMember!._id), 'member-outsider');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const inject = (
    caller: Caller | null,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) => stack.app.inject({ method, url, payload, headers: { ...(caller?.headers ?? {}), ...headers } });

  const submit = (resident: Caller, body: object, key = idempotencyKey()) =>
    inject(
      resident,
      'POST',
      '/api/v1/tickets',
      { studioId, category: 'help', content: '小区门口的路灯坏了一个多月了，晚上出行很不安全。', ...body },
      { 'idempotency-key': key },
    );

  it('assigns automatically only members who can receive: with none bound the ticket waits for the office (待分配)', async () => {
    const studio = await stack.app.models.Studio.findOne({ code: 'hnca' }).lean();
    const members = await stack.app.models.Member.find({ studioIds: studio!._id, active: true })
      .sort({ _id: 1 })
      .lean();
    expect(members.length).toBeGreaterThan(0);
    expect(members.every((m) => !m.userId)).toBe(true);
    const resident = await signInResident(stack.app, 'stranded-resident');
    const body = {
      studioId: String(studio!._id),
      category: 'help',
      content: '镇上的公交站台没有遮雨棚，下雨天老人等车很不方便。',
    };
    const waiting = await inject(resident, 'POST', '/api/v1/tickets', body, { 'idempotency-key': idempotencyKey() });
    expect(waiting.statusCode).toBe(201);
    expect([waiting.json().status, waiting.json().assignee]).toEqual(['pending', null]);
    // It is on the office's 待分配 list.
    const board = await inject(admin, 'GET', '/api/v1/tickets?status=pending&limit=50');
    expect(board.json().items.map((t: { id: string }) => t.id)).toContain(waiting.json().id);

    // Once a member has bound their WeChat, the studio's next ticket goes to them.
    const bound = await signInMember(stack.app, admin, String(members[members.length - 1]!._id), 'stranded-member');
    const next = await inject(resident, 'POST', '/api/v1/tickets', body, { 'idempotency-key': idempotencyKey() });
    expect([next.json().status, next.json().assignee?.id]).toEqual(['assigned', bound.memberId]);

    // An admin hands the waiting one to a member who has not bound WeChat: the board's 无人接收 list
    // shows it until it is with someone who can receive.
    const strandedIds = async () =>
      (await inject(admin, 'GET', '/api/v1/tickets?stranded=true&limit=50'))
        .json()
        .items.map((t: { id: string }) => t.id);
    expect(await strandedIds()).not.toContain(waiting.json().id);
    expect(
      (
        await inject(admin, 'POST', `/api/v1/tickets/${waiting.json().id}/assign`, {
          memberId: String(members[0]!._id),
        })
      ).statusCode,
    ).toBe(200);
    expect(await strandedIds()).toContain(waiting.json().id);
    expect(await strandedIds()).not.toContain(next.json().id);
    expect(
      (await inject(admin, 'POST', `/api/v1/tickets/${waiting.json().id}/assign`, { memberId: bound.memberId }))
        .statusCode,
    ).toBe(200);
    expect(await strandedIds()).not.toContain(waiting.json().id);
  });

  it('goes from submission with photos to answer, resolution, rating, reopening and reassignment, with every step on the timeline', async () => {
    const resident = await signInResident(stack.app, 'life-resident');
    const photos = [await uploadPng(stack.app, resident, 'lamp-1'), await uploadPng(stack.app, resident, 'lamp-2')];
    const submitted = await submit(resident, {
      contactPhone: '13812345678',
      contactName: '王阿姨',
      images: photos.map((p) => p.id),
    });
    expect(submitted.statusCode).toBe(201);
    const created = submitted.json();
    expect(created.no).toMatch(/^HN\d{8}-\d{4}$/);
    expect(created.status).toBe('assigned');
    expect([memberA.memberId, memberB.memberId, expect.any(String)]).toContain(created.assignee.id);
    const dueIn = new Date(created.dueAt).getTime() - new Date(created.createdAt).getTime();
    expect(dueIn).toBe(48 * 3600 * 1000); // the sector studio's response deadline

    // The member sees it in their studio's inbox, phone masked (contact not allowed).
    const inbox = (await inject(memberA, 'GET', '/api/v1/tickets?status=assigned')).json();
    expect(inbox.items.map((t: { id: string }) => t.id)).toContain(created.id);
    const asMember = (await inject(memberA, 'GET', `/api/v1/tickets/${created.id}`)).json();
    expect(asMember.contactPhone).toBe('138****5678');
    expect(asMember.residentName).toBe('王阿姨');
    // Once WeChat's image check passed them, the member sees the photos through signed URLs that need
    // no token (as WeChat's <image> loads them).
    await imageChecksSettled(stack);
    const checked = (await inject(memberA, 'GET', `/api/v1/tickets/${created.id}`)).json();
    expect(checked.images.map((i: { id: string }) => i.id)).toEqual(photos.map((p) => p.id));
    const photo = await stack.app.inject({ method: 'GET', url: checked.images[0].url });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.rawPayload.equals(photos[0]!.bytes)).toBe(true);
    // The same photos cannot be attached to a second ticket.
    const reused = await submit(resident, { images: [photos[0]!.id] });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('IMAGES_INVALID');

    // A member replies publicly and adds an internal note.
    const replied = await inject(memberA, 'POST', `/api/v1/tickets/${created.id}/replies`, {
      content: '您好，已联系街道城管科，三天内修复。',
    });
    expect(replied.statusCode).toBe(201);
    expect(replied.json().status).toBe('answered');
    await inject(memberA, 'POST', `/api/v1/tickets/${created.id}/replies`, {
      content: '已电话城管科李科长',
      internal: true,
    });

    // The resident reads the reply, never the internal note.
    const asResident = (await inject(resident, 'GET', `/api/v1/tickets/${created.id}`)).json();
    expect(asResident.status).toBe('answered');
    expect(asResident.contactPhone).toBe('13812345678');
    expect(asResident.timeline.map((e: { type: string }) => e.type)).toEqual(['submitted', 'assigned', 'reply']);
    expect(JSON.stringify(asResident)).not.toContain('李科长');

    // Resolved as a public-opinion report (三转), then rated once.
    const resolved = await inject(memberB, 'POST', `/api/v1/tickets/${created.id}/resolve`, {
      outcome: 'public_opinion',
      note: '已转社情民意信息',
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: 'public_opinion' });
    const rated = await inject(resident, 'POST', `/api/v1/tickets/${created.id}/rating`, {
      score: 5,
      comment: '很及时',
    });
    expect(rated.statusCode).toBe(200);
    expect(rated.json().rating).toMatchObject({ score: 5, comment: '很及时' });
    const again = await inject(resident, 'POST', `/api/v1/tickets/${created.id}/rating`, { score: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALREADY_RATED');

    // The resident reopens it; an admin reassigns it to a member of another studio.
    const reopened = await inject(resident, 'POST', `/api/v1/tickets/${created.id}/reopen`, { reason: '路灯又坏了' });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json().status).toBe('assigned');
    const reassigned = await inject(admin, 'POST', `/api/v1/tickets/${created.id}/assign`, {
      memberId: outsider.memberId,
    });
    expect(reassigned.statusCode).toBe(200);
    expect(reassigned.json().assignee.id).toBe(outsider.memberId);
    // The new assignee can now see and answer it.
    expect((await inject(outsider, 'GET', `/api/v1/tickets/${created.id}`)).statusCode).toBe(200);

    const full = (await inject(admin, 'GET', `/api/v1/tickets/${created.id}`)).json();
    expect(full.timeline.map((e: { type: string }) => e.type)).toEqual([
      'submitted',
      'assigned',
      'reply',
      'note',
      'resolved',
      'rated',
      'reopened',
      'reassigned',
    ]);
    const times = full.timeline.map((e: { at: string }) => new Date(e.at).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(full.timeline.find((e: { type: string }) => e.type === 'reply').actor).toEqual({
      role: 'member',
      name: expect.any(String),
    });
    expect(full.version).toBe(full.timeline.length - 1);
  });

  it('gives the same ticket for the same Idempotency-Key, even when sent concurrently', async () => {
    const resident = await signInResident(stack.app, 'idem-resident');
    const key = idempotencyKey();
    const first = await submit(resident, {}, key);
    const second = await submit(resident, {}, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);

    const raceKey = idempotencyKey();
    const replies = await Promise.all(Array.from({ length: 5 }, () => submit(resident, {}, raceKey)));
    expect(replies.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    expect(new Set(replies.map((r) => r.json().id)).size).toBe(1);
    expect(await stack.app.models.Ticket.countDocuments({ idempotencyKey: raceKey })).toBe(1);
  });

  it('requires an Idempotency-Key', async () => {
    const resident = await signInResident(stack.app, 'no-key-resident');
    const res = await inject(resident, 'POST', '/api/v1/tickets', {
      studioId,
      category: 'consult',
      content: '请问社保怎么转移？',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('assigns to the member with the fewest open tickets', async () => {
    const resident = await signInResident(stack.app, 'balance-resident');
    const assignees: string[] = [];
    for (let i = 0; i < 6; i++) assignees.push((await submit(resident, {})).json().assignee.id);
    const counts = new Map<string, number>();
    for (const id of assignees) counts.set(id, (counts.get(id) ?? 0) + 1);
    const values = [...counts.values()];
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  });

  it('gives a new ticket to the member with the fewest open tickets, not simply the next in turn', async () => {
    const studio = (
      await inject(admin, 'POST', '/api/v1/admin/studios', { name: '负载测试工作室', kind: 'town', town: '负载镇' })
    ).json();
    const member = async (name: string, code: string) => {
      const created = (
        await inject(admin, 'POST', '/api/v1/admin/members', { name, title: '县政协委员', studioIds: [studio.id] })
      ).json();
      return signInMember(stack.app, admin, created.id, code);
    };
    const first = await member('甲委员', 'load-a');
    const second = await member('乙委员', 'load-b');
    const resident = await signInResident(stack.app, 'load-resident');
    const send = async () => {
      const res = await inject(
        resident,
        'POST',
        '/api/v1/tickets',
        { studioId: studio.id, category: 'help', content: '村口的桥栏杆松动了，孩子上学经过很危险。' },
        { 'idempotency-key': idempotencyKey() },
      );
      expect(res.statusCode).toBe(201);
      return res.json() as { id: string; assignee: { id: string } };
    };
    const opening = [await send(), await send(), await send(), await send()];
    const firstsTickets = opening.filter((t) => t.assignee.id === first.memberId);
    expect(firstsTickets).toHaveLength(2);
    // The first member answers and closes both of theirs: first 0 open, second 2.
    for (const t of firstsTickets) {
      expect(
        (await inject(first, 'POST', `/api/v1/tickets/${t.id}/replies`, { content: '已联系村委会维修。' })).statusCode,
      ).toBe(201);
      expect((await inject(first, 'POST', `/api/v1/tickets/${t.id}/resolve`, {})).statusCode).toBe(200);
    }
    // So the next two both go to the first member, out of turn.
    expect((await send()).assignee.id).toBe(first.memberId);
    expect((await send()).assignee.id).toBe(first.memberId);
    // An admin hands one of the second member's over (first 3, second 1): the next two go to the second.
    const secondsTicket = opening.find((t) => t.assignee.id === second.memberId)!;
    expect(
      (await inject(admin, 'POST', `/api/v1/tickets/${secondsTicket.id}/assign`, { memberId: first.memberId }))
        .statusCode,
    ).toBe(200);
    expect((await send()).assignee.id).toBe(second.memberId);
    expect((await send()).assignee.id).toBe(second.memberId);
  });

  it('gives the same ticket for a replay whose first attempt used its photos', async () => {
    const resident = await signInResident(stack.app, 'replay-resident');
    const photo = await uploadPng(stack.app, resident, 'replay-photo');
    const key = idempotencyKey();
    const first = await submit(resident, { images: [photo.id] }, key);
    expect(first.statusCode).toBe(201);
    const replay = await submit(resident, { images: [photo.id] }, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.json().no).toBe(first.json().no);
    expect(await stack.app.models.Ticket.countDocuments({ idempotencyKey: key })).toBe(1);
    // A different key with the same, now used, photo is still refused.
    const reuse = await submit(resident, { images: [photo.id] });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().code).toBe('IMAGES_INVALID');
  });

  it('adds a reply or note resent with the same Idempotency-Key once, and answers the resend with 200', async () => {
    const resident = await signInResident(stack.app, 'reply-key-resident');
    const t = (await submit(resident, {})).json();
    const member = t.assignee.id === memberA.memberId ? memberA : memberB;
    const key = idempotencyKey();
    const send = (caller: Caller, body: object, k = key) =>
      inject(caller, 'POST', `/api/v1/tickets/${t.id}/replies`, body, { 'idempotency-key': k });
    const first = await send(member, { content: '已转交社区处理。' });
    expect(first.statusCode).toBe(201);
    const again = await send(member, { content: '已转交社区处理。' });
    expect(again.statusCode).toBe(200);
    expect(again.json().timeline).toEqual(first.json().timeline);
    // A note with its own key is added once too; the same key from an admin is the admin's own request.
    const noteKey = idempotencyKey();
    expect((await send(member, { content: '内部：已电话联系。', internal: true }, noteKey)).statusCode).toBe(201);
    expect((await send(member, { content: '内部：已电话联系。', internal: true }, noteKey)).statusCode).toBe(200);
    expect((await send(admin, { content: '机关补充说明。' }, noteKey)).statusCode).toBe(201);
    // Without a key every send is a new reply, as before.
    expect(
      (await inject(member, 'POST', `/api/v1/tickets/${t.id}/replies`, { content: '补充一句。' })).statusCode,
    ).toBe(201);
    const types = (await inject(admin, 'GET', `/api/v1/tickets/${t.id}`))
      .json()
      .timeline.map((e: { type: string }) => e.type);
    expect(types.filter((type: string) => type === 'reply')).toHaveLength(3);
    expect(types.filter((type: string) => type === 'note')).toHaveLength(1);
    // The resident was told of the answer once.
    const stored = await stack.app.models.Ticket.findById(t.id).lean();
    expect(stored!.outbox.filter((n) => n.kind === 'ticket_replied')).toHaveLength(1);
  });

  it('keeps a ticket pending when the studio has no active member, and shows it to admins', async () => {
    const emptyStudio = await stack.app.models.Studio.create({
      code: 'empty1',
      name: '空工作室',
      kind: 'sector',
      sector: '特邀界',
    });
    const resident = await signInResident(stack.app, 'pending-resident');
    const res = await inject(
      resident,
      'POST',
      '/api/v1/tickets',
      { studioId: String(emptyStudio._id), category: 'suggest', content: '建议增加公交班次，方便老人出行。' },
      { 'idempotency-key': idempotencyKey() },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending', assignee: null });
    const board = (await inject(admin, 'GET', '/api/v1/tickets?status=pending')).json();
    expect(board.items.map((t: { id: string }) => t.id)).toContain(res.json().id);
  });

  it('rejects risky content with a Chinese explanation and flags content under review', async () => {
    const resident = await signInResident(stack.app, 'content-resident');
    const risky = await submit(resident, { content: '这里有违禁词，请处理' });
    expect(risky.statusCode).toBe(400);
    expect(risky.json()).toMatchObject({ code: 'CONTENT_RISKY', message: expect.stringContaining('修改') });
    const review = await submit(resident, { content: '这段内容含待审词需要复核' });
    expect(review.statusCode).toBe(201);
    const detail = (await inject(admin, 'GET', `/api/v1/tickets/${review.json().id}`)).json();
    expect(detail).toMatchObject({ flagged: true, contentCheck: 'review' });
  });

  it('accepts a ticket while WeChat content check is unreachable, marked pending', async () => {
    const resident = await signInResident(stack.app, 'outage-resident');
    await fetch(`${stack.wechatUrl}/__fake/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/wxa/msg_sec_check', mode: 'http500', times: 1 }),
    });
    const res = await submit(resident, {});
    expect(res.statusCode).toBe(201);
    const stored = await stack.app.models.Ticket.findById(res.json().id).lean();
    expect(stored!.contentCheck).toBe('pending');
  });

  it('hides the phone and name of an anonymous resident from members, shows the full phone when contact is allowed', async () => {
    const resident = await signInResident(stack.app, 'anon-resident');
    const anon = (
      await submit(resident, { anonymous: true, contactName: '李先生', contactPhone: '13900001111' })
    ).json();
    const seen = (await inject(memberA, 'GET', `/api/v1/tickets/${anon.id}`)).json();
    expect(seen.residentName).toBe('匿名群众');
    expect(seen.contactPhone).toBeNull();
    expect(JSON.stringify(seen)).not.toContain('李先生');
    const openRes = await submit(resident, { allowContact: true, contactPhone: '13900002222' });
    const open = openRes.json();
    expect((await inject(memberA, 'GET', `/api/v1/tickets/${open.id}`)).json().contactPhone).toBe('13900002222');
    const raw = await stack.app.models.Ticket.findById(open.id).lean();
    expect(JSON.stringify(raw)).not.toContain('13900002222');
  });

  it('answers wrong-state actions with 409 and a code', async () => {
    const resident = await signInResident(stack.app, 'state-resident');
    const t = (await submit(resident, {})).json();
    const early = await inject(memberA, 'POST', `/api/v1/tickets/${t.id}/resolve`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('TICKET_NOT_ANSWERED');
    const rateEarly = await inject(resident, 'POST', `/api/v1/tickets/${t.id}/rating`, { score: 4 });
    expect(rateEarly.json().code).toBe('TICKET_NOT_ANSWERED');
    const reopenEarly = await inject(resident, 'POST', `/api/v1/tickets/${t.id}/reopen`, { reason: '还没解决' });
    expect(reopenEarly.json().code).toBe('TICKET_NOT_RESOLVED');
    await inject(memberA, 'POST', `/api/v1/tickets/${t.id}/replies`, { content: '收到' });
    await inject(memberA, 'POST', `/api/v1/tickets/${t.id}/resolve`, {});
    const late = await inject(memberA, 'POST', `/api/v1/tickets/${t.id}/replies`, { content: '补充' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('TICKET_RESOLVED');
    // Past the 7-day window, reopening is refused.
    await rewriteTickets(stack, t.id, { resolvedAt: new Date(Date.now() - 8 * 86_400_000) });
    const stale = await inject(resident, 'POST', `/api/v1/tickets/${t.id}/reopen`, { reason: '还没解决' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('REOPEN_WINDOW_PASSED');
  });

  it('keeps one consistent state and a complete timeline under 20 concurrent actions', async () => {
    const resident = await signInResident(stack.app, 'race-resident');
    const t = (await submit(resident, {})).json();
    const actions = Array.from({ length: 20 }, (_, i) => {
      if (i % 4 === 0) return inject(memberA, 'POST', `/api/v1/tickets/${t.id}/replies`, { content: `回复 ${i}` });
      if (i % 4 === 1)
        return inject(memberB, 'POST', `/api/v1/tickets/${t.id}/replies`, { content: `备注 ${i}`, internal: true });
      if (i % 4 === 2)
        return inject(memberB, 'POST', `/api/v1/tickets/${t.id}/assign`, {
          memberId: i % 8 === 2 ? memberA.memberId : memberB.memberId,
        });
      return inject(memberA, 'POST', `/api/v1/tickets/${t.id}/resolve`, { outcome: 'proposal' });
    });
    const results = await Promise.all(actions);
    for (const r of results) expect([200, 201, 409]).toContain(r.statusCode);
    const succeeded = results.filter((r) => r.statusCode < 300).length;
    const final = (await inject(admin, 'GET', `/api/v1/tickets/${t.id}`)).json();
    // One event per successful action, on top of submitted + assigned.
    expect(final.timeline.length).toBe(2 + succeeded);
    expect(final.version).toBe(1 + succeeded);
    const resolvedEvents = final.timeline.filter((e: { type: string }) => e.type === 'resolved').length;
    expect(resolvedEvents).toBeLessThanOrEqual(1);
    if (final.status === 'resolved') expect(resolvedEvents).toBe(1);
    const firstReply = final.timeline.findIndex((e: { type: string }) => e.type === 'reply');
    const resolvedAt = final.timeline.findIndex((e: { type: string }) => e.type === 'resolved');
    if (resolvedAt >= 0) expect(firstReply).toBeLessThan(resolvedAt);
  });

  it('shows a ticket only to those who may see it (404 otherwise)', async () => {
    const resident = await signInResident(stack.app, 'scope-resident');
    const stranger = await signInResident(stack.app, 'scope-stranger');
    const t = (await submit(resident, {})).json();
    expect((await inject(stranger, 'GET', `/api/v1/tickets/${t.id}`)).statusCode).toBe(404);
    expect((await inject(outsider, 'GET', `/api/v1/tickets/${t.id}`)).statusCode).toBe(404);
    expect((await inject(outsider, 'POST', `/api/v1/tickets/${t.id}/replies`, { content: '越权' })).statusCode).toBe(
      404,
    );
    const strangerList = (await inject(stranger, 'GET', '/api/v1/tickets')).json();
    expect(strangerList.items).toEqual([]);
    const outsiderList = (await inject(outsider, 'GET', `/api/v1/tickets?studioId=${studioId}`)).json();
    expect(outsiderList.items.map((x: { id: string }) => x.id)).not.toContain(t.id);
  });
});
