import { startTestStack, type TestStack } from './helpers/app';
import { signInAdmin, signInResident, type Caller } from './helpers/actors';

/** The office's view of a studio's invite codes: what became of each, and withdrawing an unused one. */
describe('admin invite list and revoke', () => {
  let stack: TestStack;
  let admin: Caller;
  let studioId: string;
  let otherStudioId: string;
  const members: Record<string, string> = {};

  const call = async (method: 'GET' | 'POST', url: string, caller: Caller = admin, payload?: object) =>
    stack.app.inject({ method, url: `/api/v1${url}`, headers: caller.headers, ...(payload ? { payload } : {}) });
  const issue = async (memberId: string) => {
    const res = await call('POST', `/admin/members/${memberId}/invites`);
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; inviteCode: string };
  };
  const list = async (query = '') => {
    const res = await call('GET', `/admin/invites?studioId=${studioId}${query}`);
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: { id: string; status: string; member: { name: string } }[] }).items;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await signInAdmin(stack.app);
    studioId = (
      await call('POST', '/admin/studios', admin, { name: '许村镇委员工作室', kind: 'town', town: '许村镇' })
    ).json().id;
    otherStudioId = (
      await call('POST', '/admin/studios', admin, { name: '盐官镇委员工作室', kind: 'town', town: '盐官镇' })
    ).json().id;
    for (const [name, studio] of [
      ['钱伟', studioId],
      ['周敏', studioId],
      ['外镇委员', otherStudioId],
    ] as const) {
      members[name] = (
        await call('POST', '/admin/members', admin, { name, title: '市政协委员', studioIds: [studio] })
      ).json().id;
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("lists a studio's invites newest first with their state, and none of another studio's", async () => {
    const used = await issue(members['钱伟']!);
    const resident = await signInResident(stack.app, 'invite-list-user');
    expect((await call('POST', '/auth/bind', resident, { inviteCode: used.inviteCode })).statusCode).toBe(200);
    const pending = await issue(members['周敏']!);
    await issue(members['外镇委员']!);

    const items = await list();
    expect(items.map((i) => [i.id, i.member.name, i.status])).toEqual([
      [pending.id, '周敏', 'pending'],
      [used.id, '钱伟', 'used'],
    ]);
    // The code itself is never shown again.
    expect(JSON.stringify(items)).not.toContain(pending.inviteCode);
    expect((await list('&status=pending')).map((i) => i.id)).toEqual([pending.id]);
    expect((await list('&status=used')).map((i) => i.id)).toEqual([used.id]);
  });

  it('revokes an unused code, which then no longer binds; a second revoke is 409', async () => {
    const invite = await issue(members['周敏']!);
    const revoked = await call('POST', `/admin/invites/${invite.id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: invite.id, status: 'revoked', member: { name: '周敏' } });
    expect((await list('&status=revoked')).map((i) => i.id)).toEqual([invite.id]);

    const resident = await signInResident(stack.app, 'invite-revoked-user');
    const bind = await call('POST', '/auth/bind', resident, { inviteCode: invite.inviteCode });
    expect(bind.statusCode).toBe(400);
    expect(bind.json().code).toBe('INVITE_INVALID');

    const again = await call('POST', `/admin/invites/${invite.id}/revoke`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'INVITE_NOT_PENDING',
      message: '这个邀请码已使用、已过期或已作废，无需再作废',
    });
  });

  it('will not revoke a code that was already used', async () => {
    const invite = await issue(members['外镇委员']!);
    const resident = await signInResident(stack.app, 'invite-used-user');
    expect((await call('POST', '/auth/bind', resident, { inviteCode: invite.inviteCode })).statusCode).toBe(200);
    const res = await call('POST', `/admin/invites/${invite.id}/revoke`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('INVITE_NOT_PENDING');
  });
});
