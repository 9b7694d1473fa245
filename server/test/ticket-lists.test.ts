import { rewriteTickets, startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { seedDemoData } from '../src/seed/seed';

/**
 * The member's inbox and the admin's overdue board, page by page through the keyset cursor: every
 * ticket exactly once, newest first, whatever the page size (the list filter is built per $or branch
 * so MongoDB can walk each branch's index in _id order).
 */
describe('ticket lists: member inbox and overdue board, paged', () => {
  let stack: TestStack;
  let admin: Caller;
  let member: Caller & { memberId: string };
  let ownStudioId: string;
  let otherStudioId: string;
  let resident: Caller;

  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoData(stack.app.models);
    admin = await signInAdmin(stack.app);
    const own = await stack.app.models.Studio.findOne({ code: 'hnyw' }).lean();
    const other = await stack.app.models.Studio.findOne({ code: 'hnxs' }).lean();
    ownStudioId = String(own!._id);
    otherStudioId = String(other!._id);
    const first = await stack.app.models.Member.findOne({ studioIds: own!._id }).sort({ _id: 1 }).lean();
    member = await signInMember(stack.app, admin, String(first!._id), 'lists-member');
    resident = await signInResident(stack.app, 'lists-resident');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const inject = (
    caller: Caller,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) => stack.app.inject({ method, url, payload, headers: { ...caller.headers, ...headers } });

  const submit = async (studioId: string, n: number) => {
    const res = await inject(
      resident,
      'POST',
      '/api/v1/tickets',
      { studioId, category: 'consult', content: `第 ${n} 条：小区门口的路灯坏了，请帮忙反映。` },
      { 'idempotency-key': idempotencyKey() },
    );
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  };

  /** Every page of a list, following nextCursor. */
  const allPages = async (caller: Caller, query: string, limit: number) => {
    const ids: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await inject(
        caller,
        'GET',
        `/api/v1/tickets?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string }[]; nextCursor: string | null };
      ids.push(...page.items.map((t) => t.id));
      pageSizes.push(page.items.length);
      cursor = page.nextCursor;
    } while (cursor);
    return { ids, pageSizes };
  };

  const newestFirst = (ids: string[]) => [...ids].sort((a, b) => (a < b ? 1 : -1));

  it("pages a member's inbox — their studio's tickets and one handed to them from another studio — each once, newest first", async () => {
    const ownTickets: string[] = [];
    for (let i = 0; i < 5; i++) ownTickets.push(await submit(ownStudioId, i));
    const foreign = await submit(otherStudioId, 99);
    const unrelated = await submit(otherStudioId, 100);
    const handed = await inject(admin, 'POST', `/api/v1/tickets/${foreign}/assign`, { memberId: member.memberId });
    expect(handed.statusCode).toBe(200);
    for (let i = 5; i < 8; i++) ownTickets.push(await submit(ownStudioId, i));

    const expected = newestFirst([...ownTickets, foreign]);
    for (const limit of [2, 3, 50]) {
      const { ids, pageSizes } = await allPages(member, 'status=assigned', limit);
      expect(ids).toEqual(expected);
      expect(ids).not.toContain(unrelated);
      expect(pageSizes.slice(0, -1).every((size) => size === limit)).toBe(true);
    }
    // Once answered, a ticket leaves the "待回复" tab and shows under "已回复".
    const answered = await inject(member, 'POST', `/api/v1/tickets/${foreign}/replies`, {
      content: '您好，已转交相关部门处理。',
    });
    expect(answered.statusCode).toBe(201);
    expect((await allPages(member, 'status=assigned', 4)).ids).toEqual(expected.filter((id) => id !== foreign));
    expect((await allPages(member, 'status=answered', 4)).ids).toEqual([foreign]);
  });

  it('pages the overdue board: open tickets past their deadline only, newest first', async () => {
    const overdue: string[] = [];
    const onTime: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = await submit(i % 2 ? otherStudioId : ownStudioId, 200 + i);
      if (i === 3) onTime.push(id);
      else overdue.push(id);
    }
    // Deadlines in the past for all but one; one overdue ticket gets answered (no longer overdue).
    await rewriteTickets(stack, overdue, { dueAt: new Date(Date.now() - 3600_000) });
    const answered = overdue.pop()!;
    expect(
      (await inject(admin, 'POST', `/api/v1/tickets/${answered}/replies`, { content: '已答复，谢谢您的反映。' }))
        .statusCode,
    ).toBe(201);

    const expected = newestFirst(overdue);
    for (const limit of [2, 4, 50]) {
      const { ids } = await allPages(admin, 'overdue=true', limit);
      // Earlier tests' tickets are not overdue (their deadlines are days ahead).
      expect(ids).toEqual(expected);
    }
    const { ids: notOverdue } = await allPages(admin, 'overdue=false', 50);
    expect(notOverdue).toEqual(expect.arrayContaining([...onTime, answered]));
    expect(notOverdue.some((id) => overdue.includes(id))).toBe(false);
  });
});
