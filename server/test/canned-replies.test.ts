import { fillCannedReply } from '@mashangshang/shared';
import { startTestStack, type TestStack } from './helpers/app';
import { signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';

/** 常用回复: kept by admins and a studio's lead members, inserted by members, most used first. */
describe('canned replies', () => {
  let stack: TestStack;
  let admin: Caller;
  let lead: Caller;
  let member: Caller;
  let outsider: Caller;
  let resident: Caller;
  const studios: Record<'a' | 'b', string> = { a: '', b: '' };

  type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
  const call = (caller: Caller, method: Method, url: string, payload?: object) =>
    stack.app.inject({ method, url: `/api/v1${url}`, headers: caller.headers, ...(payload ? { payload } : {}) });
  const titles = async (caller: Caller, studioId: string) =>
    (
      (await call(caller, 'GET', `/canned-replies?studioId=${studioId}`)).json() as { items: { title: string }[] }
    ).items.map((r) => r.title);

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await signInAdmin(stack.app);
    for (const [key, town] of [
      ['a', '袁花镇'],
      ['b', '黄湾镇'],
    ] as const) {
      const res = await call(admin, 'POST', '/admin/studios', { name: `${town}委员工作室`, kind: 'town', town });
      studios[key] = (res.json() as { id: string }).id;
    }
    const newMember = async (name: string, studioId: string, leadOf: string[]) =>
      (
        (
          await call(admin, 'POST', '/admin/members', { name, title: '委员', studioIds: [studioId], leadOf })
        ).json() as { id: string }
      ).id;
    lead = await signInMember(stack.app, admin, await newMember('召集人', studios.a, [studios.a]), 'canned-lead');
    member = await signInMember(stack.app, admin, await newMember('普通委员', studios.a, []), 'canned-member');
    outsider = await signInMember(stack.app, admin, await newMember('外镇委员', studios.b, []), 'canned-outsider');
    resident = await signInResident(stack.app, 'canned-resident');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lets admins keep office-wide replies and a lead member their studio’s; members see both, most used first', async () => {
    const office = await call(admin, 'POST', '/canned-replies', {
      studioId: null,
      title: '已转交相关部门',
      text: '{称呼}您好，您反映的问题{工作室名}已转交相关部门办理，请耐心等待。',
    });
    expect(office.statusCode).toBe(201);
    const own = await call(lead, 'POST', '/canned-replies', {
      studioId: studios.a,
      title: '已现场查看',
      text: '{称呼}您好，委员已到现场查看。',
    });
    expect(own.statusCode).toBe(201);
    expect(await titles(member, studios.a)).toEqual(['已现场查看', '已转交相关部门']);

    // Used twice, the office-wide reply goes first.
    const officeId = (office.json() as { id: string }).id;
    for (let i = 0; i < 2; i++)
      expect((await call(member, 'POST', `/canned-replies/${officeId}/uses`)).statusCode).toBe(200);
    expect(await titles(member, studios.a)).toEqual(['已转交相关部门', '已现场查看']);
    // Another studio's members see the office-wide reply, not studio A's.
    expect(await titles(outsider, studios.b)).toEqual(['已转交相关部门']);
  });

  it('tells each caller whether they may keep the list they asked for', async () => {
    const canEdit = async (caller: Caller, studioId?: string) =>
      (
        (await call(caller, 'GET', `/canned-replies${studioId ? `?studioId=${studioId}` : ''}`)).json() as {
          canEdit: boolean;
        }
      ).canEdit;
    expect(await canEdit(admin)).toBe(true);
    expect(await canEdit(admin, studios.a)).toBe(true);
    expect(await canEdit(lead, studios.a)).toBe(true);
    // The office's list is the office's; a plain member and another studio's member keep nothing here.
    expect(await canEdit(lead)).toBe(false);
    expect(await canEdit(member, studios.a)).toBe(false);
    expect(await canEdit(outsider, studios.b)).toBe(false);
  });

  it('fills the placeholders as the reply box inserts the text', () => {
    expect(
      fillCannedReply('{称呼}您好，{工作室名}已收到。{称呼}请放心。', {
        salutation: '王阿姨',
        studioName: '袁花镇委员工作室',
      }),
    ).toBe('王阿姨您好，袁花镇委员工作室已收到。王阿姨请放心。');
  });

  it('refuses a placeholder it could not fill, with the ones it can', async () => {
    const res = await call(lead, 'POST', '/canned-replies', { studioId: studios.a, title: '问候', text: '{姓名}您好' });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { message: string }).message).toBe('只能使用占位符 {称呼}、{工作室名}，请修改“{姓名}”');
  });

  it('keeps editing to admins and the studio’s lead members, and use to the studio’s members', async () => {
    const mine = await call(lead, 'POST', '/canned-replies', {
      studioId: studios.a,
      title: '待核实',
      text: '正在核实。',
    });
    const id = (mine.json() as { id: string }).id;
    expect(
      (await call(member, 'POST', '/canned-replies', { studioId: studios.a, title: 'x', text: 'y' })).statusCode,
    ).toBe(403);
    expect((await call(lead, 'POST', '/canned-replies', { studioId: null, title: 'x', text: 'y' })).statusCode).toBe(
      403,
    );
    expect(
      (await call(lead, 'POST', '/canned-replies', { studioId: studios.b, title: 'x', text: 'y' })).statusCode,
    ).toBe(403);
    expect((await call(member, 'PATCH', `/canned-replies/${id}`, { title: '改' })).statusCode).toBe(403);
    expect((await call(outsider, 'GET', `/canned-replies?studioId=${studios.a}`)).statusCode).toBe(403);
    expect((await call(outsider, 'POST', `/canned-replies/${id}/uses`)).statusCode).toBe(403);
    expect((await call(resident, 'GET', `/canned-replies?studioId=${studios.a}`)).statusCode).toBe(403);

    const edited = await call(lead, 'PATCH', `/canned-replies/${id}`, { text: '{称呼}您好，正在核实，三日内答复。' });
    expect(edited.json()).toMatchObject({ title: '待核实', text: '{称呼}您好，正在核实，三日内答复。' });
    expect((await call(admin, 'DELETE', `/canned-replies/${id}`)).statusCode).toBe(204);
    expect(await titles(member, studios.a)).not.toContain('待核实');
    expect((await call(lead, 'DELETE', `/canned-replies/${id}`)).statusCode).toBe(404);
  });

  it('holds at most 50 per studio, and says so', async () => {
    const studio = studios.b;
    const existing = (await call(admin, 'GET', `/canned-replies?studioId=${studio}`)).json() as {
      items: { studioId: string | null }[];
    };
    const have = existing.items.filter((r) => r.studioId === studio).length;
    for (let i = have; i < 50; i++) {
      expect(
        (await call(admin, 'POST', '/canned-replies', { studioId: studio, title: `回复${i}`, text: '内容' }))
          .statusCode,
      ).toBe(201);
    }
    const full = await call(admin, 'POST', '/canned-replies', { studioId: studio, title: '第51条', text: '内容' });
    expect(full.statusCode).toBe(409);
    expect((full.json() as { message: string }).message).toBe('常用回复最多 50 条，请先删除不再使用的');
  });
});
