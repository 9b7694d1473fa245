import { startTestStack, type TestStack } from './helpers/app';
import { signInAdmin, signInMember, type Caller } from './helpers/actors';

/** The office's own studio list and detail: retired studios stay reachable so they can be restored. */
describe('admin studio list and detail', () => {
  let stack: TestStack;
  let admin: Caller;
  const ids: Record<string, string> = {};

  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    stack.app.inject({ method, url: `/api/v1${url}`, headers: admin.headers, ...(payload ? { payload } : {}) });
  const names = (res: { json(): unknown }) => (res.json() as { items: { name: string }[] }).items.map((s) => s.name);

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await signInAdmin(stack.app);
    for (const [key, body] of Object.entries({
      a: { name: '周王庙镇委员工作室', kind: 'town', town: '周王庙镇' },
      b: { name: '经济界委员工作室', kind: 'sector', sector: '经济界', code: 'jjj01' },
      c: { name: '长安镇委员工作室', kind: 'town', town: '长安镇' },
    })) {
      const res = await call('POST', '/admin/studios', body);
      expect(res.statusCode).toBe(201);
      ids[key] = (res.json() as { id: string }).id;
    }
    expect((await call('PATCH', `/admin/studios/${ids.c}`, { active: false })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lists retired studios with their state, which the public list hides', async () => {
    const all = await call('GET', '/admin/studios');
    expect(all.statusCode).toBe(200);
    const items = (all.json() as { items: { name: string; active: boolean; code: string }[] }).items;
    expect(items.map((s) => [s.name, s.active])).toEqual([
      ['周王庙镇委员工作室', true],
      ['经济界委员工作室', true],
      ['长安镇委员工作室', false],
    ]);
    expect(items[1]?.code).toBe('jjj01');
    expect(names(await stack.app.inject({ method: 'GET', url: '/api/v1/studios' }))).not.toContain('长安镇委员工作室');
  });

  it('filters by state, town, sector and name, and pages with a cursor', async () => {
    expect(names(await call('GET', '/admin/studios?state=retired'))).toEqual(['长安镇委员工作室']);
    expect(names(await call('GET', '/admin/studios?state=active'))).toEqual(['周王庙镇委员工作室', '经济界委员工作室']);
    expect(names(await call('GET', `/admin/studios?town=${encodeURIComponent('长安镇')}`))).toEqual([
      '长安镇委员工作室',
    ]);
    expect(names(await call('GET', `/admin/studios?sector=${encodeURIComponent('经济界')}`))).toEqual([
      '经济界委员工作室',
    ]);
    expect(names(await call('GET', `/admin/studios?q=${encodeURIComponent('王庙')}`))).toEqual(['周王庙镇委员工作室']);
    const first = (await call('GET', '/admin/studios?limit=2')).json() as {
      items: { name: string }[];
      nextCursor: string;
    };
    expect(first.items).toHaveLength(2);
    const second = await call('GET', `/admin/studios?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(names(second)).toEqual(['长安镇委员工作室']);
  });

  it('shows a retired studio to the office (404 to the public) and restores it', async () => {
    expect((await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${ids.c}` })).statusCode).toBe(404);
    const detail = await call('GET', `/admin/studios/${ids.c}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ name: '长安镇委员工作室', active: false, town: '长安镇' });
    expect((await call('PATCH', `/admin/studios/${ids.c}`, { active: true })).statusCode).toBe(200);
    expect((await call('GET', `/admin/studios/${ids.c}`)).json()).toMatchObject({ active: true });
    expect(names(await stack.app.inject({ method: 'GET', url: '/api/v1/studios' }))).toContain('长安镇委员工作室');
  });

  it("counts the members who can receive a studio's tickets: active and bound to WeChat, on the list and the detail", async () => {
    const receiving = async () => {
      const list = (await call('GET', '/admin/studios')).json() as {
        items: { id: string; memberCount: number; receivingMemberCount: number }[];
      };
      const row = list.items.find((s) => s.id === ids.a)!;
      const detail = (await call('GET', `/admin/studios/${ids.a}`)).json() as { receivingMemberCount: number };
      expect(detail.receivingMemberCount).toBe(row.receivingMemberCount);
      return [row.memberCount, row.receivingMemberCount];
    };
    expect(await receiving()).toEqual([0, 0]);
    const member = (
      await call('POST', '/admin/members', { name: '吴卫东', title: '市政协委员', studioIds: [ids.a] })
    ).json() as {
      id: string;
    };
    // On file but not bound: counted as a member, not as one who can receive.
    expect(await receiving()).toEqual([1, 0]);
    await signInMember(stack.app, admin, member.id, 'admin-studios-receiver');
    expect(await receiving()).toEqual([1, 1]);
    // Disabled: neither.
    expect((await call('PATCH', `/admin/members/${member.id}`, { active: false })).statusCode).toBe(200);
    expect(await receiving()).toEqual([0, 0]);
  });
});
