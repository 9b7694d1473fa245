import { Types } from 'mongoose';
import { TEST_ADMIN_PASSWORD, startTestStack, type TestStack } from './helpers/app';
import { ensureAdminAccount } from '../src/modules/auth/service';
import { resolveActor } from '../src/modules/auth/actor';
import { hashInviteCode } from '../src/modules/invites/service';
import type { TokenPayload } from '../src/modules/auth/actor';

interface Json {
  [key: string]: unknown;
}

describe('admin: studios, members, invites and binding a WeChat user', () => {
  let stack: TestStack;
  let adminToken: string;

  beforeAll(async () => {
    stack = await startTestStack();
    await ensureAdminAccount(stack.app.models, TEST_ADMIN_PASSWORD);
    const res = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    adminToken = res.json().token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const asAdmin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    stack.app.inject({
      method,
      url,
      headers: bearer(adminToken),
      ...(payload !== undefined ? { payload: payload as Json } : {}),
    });
  const resident = async (code: string) => {
    const res = await stack.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code } });
    expect(res.statusCode).toBe(200);
    return res.json() as { token: string; user: { id: string; role: string; studioIds: string[] } };
  };
  const bind = (token: string, inviteCode: unknown) =>
    stack.app.inject({ method: 'POST', url: '/api/v1/auth/bind', headers: bearer(token), payload: { inviteCode } });
  const actorOf = (token: string) => resolveActor(stack.app.models, stack.app.jwt.verify<TokenPayload>(token));

  let studioSeq = 0;
  const createStudio = async (extra: Json = {}) => {
    studioSeq += 1;
    const res = await asAdmin('POST', '/api/v1/admin/studios', {
      name: `测试工作室${studioSeq}`,
      kind: 'town',
      town: `测试镇${studioSeq}`,
      ...extra,
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; scene: string; name: string };
  };
  const createMember = async (studioIds: string[], extra: Json = {}) => {
    const res = await asAdmin('POST', '/api/v1/admin/members', {
      name: '张委员',
      title: '市政协委员',
      studioIds,
      ...extra,
    });
    expect(res.statusCode).toBe(201);
    return res.json() as {
      id: string;
      phoneMasked: string | null;
      studioIds: string[];
      leadOf: string[];
      active: boolean;
      bound: boolean;
    };
  };
  const invite = async (memberId: string) => {
    const res = await asAdmin('POST', `/api/v1/admin/members/${memberId}/invites`);
    expect(res.statusCode).toBe(201);
    return res.json() as { inviteCode: string; expiresAt: string };
  };

  describe('studios', () => {
    it('creates a studio that the public list and scene lookup then show', async () => {
      const res = await asAdmin('POST', '/api/v1/admin/studios', {
        name: '新仓镇委员集体工作室',
        kind: 'town',
        town: '新仓镇',
        intro: '欢迎扫码反映问题',
        address: '新仓镇人民路 1 号',
        slaHours: 48,
        serviceItems: [{ title: '政策咨询', summary: '解读惠民政策' }],
      });
      expect(res.statusCode).toBe(201);
      const studio = res.json();
      expect(studio).toMatchObject({
        name: '新仓镇委员集体工作室',
        town: '新仓镇',
        slaHours: 48,
        star: 0,
        memberCount: 0,
        members: [],
      });
      expect(studio.scene).toMatch(/^s=[0-9a-z]{4,16}$/);
      expect(studio.serviceItems).toEqual([{ id: expect.any(String), title: '政策咨询', summary: '解读惠民政策' }]);

      const list = (
        await stack.app.inject({ method: 'GET', url: `/api/v1/studios?town=${encodeURIComponent('新仓镇')}` })
      ).json();
      expect(list.items.map((s: { id: string }) => s.id)).toEqual([studio.id]);
      const byScene = await stack.app.inject({
        method: 'GET',
        url: `/api/v1/studios/by-scene/${encodeURIComponent(studio.scene)}`,
      });
      expect(byScene.json().id).toBe(studio.id);
    });

    it('uses an explicit code and refuses the same code twice with 409 STUDIO_CODE_TAKEN', async () => {
      const first = await createStudio({ code: 'dupcode1' });
      expect(first.scene).toBe('s=dupcode1');
      const again = await asAdmin('POST', '/api/v1/admin/studios', {
        code: 'dupcode1',
        name: '另一个',
        kind: 'sector',
        sector: '经济界',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'STUDIO_CODE_TAKEN', message: '该工作室编码已被使用，请换一个编码' });
      const other = await createStudio();
      const patchToTaken = await asAdmin('PATCH', `/api/v1/admin/studios/${other.id}`, { code: 'dupcode1' });
      expect(patchToTaken.statusCode).toBe(409);
    });

    it('patches fields, star and service items, and hides a deactivated studio from the public', async () => {
      const studio = await createStudio({ serviceItems: [{ title: '法律咨询', summary: '' }, { title: '就业帮扶' }] });
      const detail = (await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${studio.id}` })).json();
      const legal = detail.serviceItems.find((i: { title: string }) => i.title === '法律咨询');

      const res = await asAdmin('PATCH', `/api/v1/admin/studios/${studio.id}`, {
        name: '改名后的工作室',
        star: 4,
        starReason: '评议后调整',
        serviceItems: [{ id: legal.id, title: '法律援助', summary: '律师委员坐班' }, { title: '助老服务' }],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: '改名后的工作室', star: 4 });
      expect(res.json().serviceItems).toEqual([
        { id: legal.id, title: '法律援助', summary: '律师委员坐班' },
        { id: expect.any(String), title: '助老服务', summary: '' },
      ]);

      const off = await asAdmin('PATCH', `/api/v1/admin/studios/${studio.id}`, { active: false });
      expect(off.statusCode).toBe(200);
      expect((await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${studio.id}` })).statusCode).toBe(404);
    });

    it('requires a town for a town studio and a sector for a sector studio', async () => {
      const res = await asAdmin('POST', '/api/v1/admin/studios', { name: '无镇街', kind: 'town' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: '镇街委员集体工作室需要填写所属镇/街道' });
      const studio = await createStudio();
      const toSector = await asAdmin('PATCH', `/api/v1/admin/studios/${studio.id}`, { kind: 'sector' });
      expect(toSector.statusCode).toBe(400);
    });

    it('answers 404 for an unknown studio id', async () => {
      const res = await asAdmin('PATCH', `/api/v1/admin/studios/${new Types.ObjectId().toHexString()}`, { star: 3 });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('STUDIO_NOT_FOUND');
    });

    it.each([
      ['no name', { kind: 'town', town: '某镇' }],
      ['an unknown kind', { name: '某', kind: 'city', town: '某镇' }],
      ['a name of the wrong type', { name: 42, kind: 'town', town: '某镇' }],
      ['an overlong name', { name: '长'.repeat(61), kind: 'town', town: '某镇' }],
      ['a bad code', { code: 'AB', name: '某', kind: 'town', town: '某镇' }],
      ['too many hours', { name: '某', kind: 'town', town: '某镇', slaHours: 10_000 }],
    ])('rejects a studio with %s as 400 VALIDATION_FAILED', async (_label, payload) => {
      const res = await asAdmin('POST', '/api/v1/admin/studios', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    });

    it('rejects a bad id, a star of 6 and an empty patch as 400', async () => {
      const studio = await createStudio();
      expect((await asAdmin('PATCH', '/api/v1/admin/studios/not-an-id', { star: 1 })).statusCode).toBe(400);
      expect((await asAdmin('PATCH', `/api/v1/admin/studios/${studio.id}`, { star: 6 })).statusCode).toBe(400);
      expect((await asAdmin('PATCH', `/api/v1/admin/studios/${studio.id}`, {})).statusCode).toBe(400);
    });
  });

  describe('members', () => {
    it('stores the phone encrypted, shows it masked and never logs it', async () => {
      const studio = await createStudio();
      const member = await createMember([studio.id], { phone: '13912345678', leadOf: [studio.id] });
      expect(member).toMatchObject({
        phoneMasked: '139****5678',
        studioIds: [studio.id],
        leadOf: [studio.id],
        active: true,
        bound: false,
      });
      expect(JSON.stringify(member)).not.toContain('13912345678');

      const raw = await stack.app.mongo.collection('members').findOne({ _id: new Types.ObjectId(member.id) });
      expect(raw?.phoneEnc).toMatch(/^v1:/);
      expect(JSON.stringify(raw)).not.toContain('13912345678');
      expect(JSON.stringify(raw)).not.toContain('12345678');
      expect(stack.app.fieldCipher.decrypt(raw?.phoneEnc as string)).toBe('13912345678');

      const changed = await asAdmin('PATCH', `/api/v1/admin/members/${member.id}`, { phone: '18600001111' });
      expect(changed.json().phoneMasked).toBe('186****1111');
      const cleared = await asAdmin('PATCH', `/api/v1/admin/members/${member.id}`, { phone: null });
      expect(cleared.json().phoneMasked).toBeNull();

      expect(stack.logs.lines.length).toBeGreaterThan(0);
      expect(stack.logs.text).not.toContain('13912345678');
      expect(stack.logs.text).not.toContain('18600001111');
    });

    it('lists members by studio and by name, across pages, masked', async () => {
      const studio = await createStudio();
      for (const name of ['王一', '王二', '李三', '王四', '赵五'])
        await createMember([studio.id], { name, phone: '13800000000' });
      const seen: { name: string; phoneMasked: string | null }[] = [];
      let cursor: string | null = null;
      do {
        const res = await asAdmin(
          'GET',
          `/api/v1/admin/members?studioId=${studio.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.statusCode).toBe(200);
        const page = res.json();
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.map((m) => m.name).sort()).toEqual(['李三', '王一', '王二', '王四', '赵五'].sort());
      expect(seen.every((m) => m.phoneMasked === '138****0000')).toBe(true);

      const wang = await asAdmin('GET', `/api/v1/admin/members?studioId=${studio.id}&q=${encodeURIComponent('王')}`);
      expect(
        wang
          .json()
          .items.map((m: { name: string }) => m.name)
          .sort(),
      ).toEqual(['王一', '王二', '王四'].sort());
      expect((await asAdmin('GET', '/api/v1/admin/members?cursor=garbage!!')).statusCode).toBe(400);
      // A well-formed cursor with a number where the name goes must not reach the query (it failed to cast: 500).
      expect(
        (
          await asAdmin(
            'GET',
            `/api/v1/admin/members?cursor=${Buffer.from('[5,"6b0e6db1183a66d494798ded"]').toString('base64url')}`,
          )
        ).statusCode,
      ).toBe(400);
    });

    it('moves a member between studios, dropping leadership of the studio left', async () => {
      const a = await createStudio();
      const b = await createStudio();
      const member = await createMember([a.id], { leadOf: [a.id] });
      const moved = await asAdmin('PATCH', `/api/v1/admin/members/${member.id}`, { studioIds: [b.id] });
      expect(moved.statusCode).toBe(200);
      expect(moved.json()).toMatchObject({ studioIds: [b.id], leadOf: [] });
      const detail = (await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${b.id}` })).json();
      expect(detail.members.map((m: { id: string }) => m.id)).toContain(member.id);
    });

    it("refuses studios that do not exist, and leadership outside the member's studios", async () => {
      const studio = await createStudio();
      const ghost = new Types.ObjectId().toHexString();
      const res = await asAdmin('POST', '/api/v1/admin/members', {
        name: '某',
        title: '委员',
        studioIds: [studio.id, ghost],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: '所选的工作室不存在，请刷新后重新选择' });
      const lead = await asAdmin('POST', '/api/v1/admin/members', {
        name: '某',
        title: '委员',
        studioIds: [studio.id],
        leadOf: [ghost],
      });
      expect(lead.statusCode).toBe(400);
      expect(lead.json().message).toBe('召集人所在的工作室必须是该委员所属的工作室');
    });

    it.each([
      ['no fields', {}],
      ['no studios', { name: '某', title: '委员', studioIds: [] }],
      ['a name of the wrong type', { name: ['某'], title: '委员', studioIds: ['0123456789abcdef01234567'] }],
      ['an overlong name', { name: '长'.repeat(41), title: '委员', studioIds: ['0123456789abcdef01234567'] }],
      ['a studio id that is not an id', { name: '某', title: '委员', studioIds: ['nope'] }],
      [
        'a phone that is not a mobile',
        { name: '某', title: '委员', studioIds: ['0123456789abcdef01234567'], phone: '02112345678' },
      ],
      ['a short phone', { name: '某', title: '委员', studioIds: ['0123456789abcdef01234567'], phone: '1381234567' }],
      [
        'a phone as a number',
        { name: '某', title: '委员', studioIds: ['0123456789abcdef01234567'], phone: 13812345678 },
      ],
    ])('rejects a member with %s as 400 VALIDATION_FAILED', async (_label, payload) => {
      const res = await asAdmin('POST', '/api/v1/admin/members', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    });

    it('answers 400 for a bad member id and 404 for an unknown one', async () => {
      expect((await asAdmin('PATCH', '/api/v1/admin/members/123', { name: '某' })).statusCode).toBe(400);
      const unknown = await asAdmin('PATCH', `/api/v1/admin/members/${new Types.ObjectId().toHexString()}`, {
        name: '某',
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('MEMBER_NOT_FOUND');
      expect((await asAdmin('POST', '/api/v1/admin/members/zzz/invites')).statusCode).toBe(400);
      expect(
        (await asAdmin('POST', `/api/v1/admin/members/${new Types.ObjectId().toHexString()}/invites`)).statusCode,
      ).toBe(404);
    });
  });

  describe('invites and binding', () => {
    it("binds a resident to a member with an invite; the new token is a member of the member's studios", async () => {
      const a = await createStudio();
      const b = await createStudio();
      const member = await createMember([a.id, b.id], { phone: '13700001234' });
      const { inviteCode, expiresAt } = await invite(member.id);
      expect(inviteCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
      const days = (Date.parse(expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);

      const stored = await stack.app.mongo.collection('invites').findOne({ memberId: new Types.ObjectId(member.id) });
      expect(stored?.codeHash).toBe(hashInviteCode(inviteCode));
      expect(JSON.stringify(stored)).not.toContain(inviteCode);

      const user = await resident('future-member');
      const res = await bind(user.token, inviteCode.toLowerCase());
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.user).toEqual({ id: user.user.id, role: 'member', studioIds: [a.id, b.id] });
      expect(stack.app.jwt.verify<TokenPayload>(body.token)).toMatchObject({ sub: user.user.id, role: 'member' });
      const actor = await actorOf(body.token);
      expect(actor).toMatchObject({ role: 'member' });
      expect(actor?.memberId?.toHexString()).toBe(member.id);
      expect(actor?.studioIds.map(String)).toEqual([a.id, b.id]);

      const listed = (await asAdmin('GET', `/api/v1/admin/members?studioId=${a.id}`)).json().items;
      expect(listed.find((m: { id: string }) => m.id === member.id).bound).toBe(true);

      // Used once: the same code again fails, for anyone.
      const again = await bind((await resident('someone-else')).token, inviteCode);
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject({
        code: 'INVITE_INVALID',
        message: '邀请码无效或已过期，请联系政协机关重新获取',
      });
      expect(stack.logs.text).not.toContain(inviteCode);
      expect(stack.logs.text).not.toContain('13700001234');
    });

    it('refuses an expired invite with 400 INVITE_INVALID', async () => {
      const member = await createMember([(await createStudio()).id]);
      const { inviteCode } = await invite(member.id);
      await stack.app.models.Invite.updateOne(
        { codeHash: hashInviteCode(inviteCode) },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      );
      const res = await bind((await resident('late-member')).token, inviteCode);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('INVITE_INVALID');
      expect((await stack.app.models.Member.findById(member.id).lean())?.userId).toBeNull();
    });

    it('lets exactly one of two users racing with the same code bind', async () => {
      const member = await createMember([(await createStudio()).id]);
      const { inviteCode } = await invite(member.id);
      const [first, second] = await Promise.all([resident('racer-one'), resident('racer-two')]);
      const replies = await Promise.all([bind(first.token, inviteCode), bind(second.token, inviteCode)]);
      expect(replies.map((r) => r.statusCode).sort()).toEqual([200, 400]);
      const winner = replies.find((r) => r.statusCode === 200)!.json().user.id;
      const stored = await stack.app.models.Member.findById(member.id).lean();
      expect(String(stored?.userId)).toBe(winner);
      expect(await stack.app.models.User.countDocuments({ memberId: new Types.ObjectId(member.id) })).toBe(1);
    });

    it('refuses a member already bound to another user with 409, without spending the invite', async () => {
      const member = await createMember([(await createStudio()).id]);
      expect((await bind((await resident('first-owner')).token, (await invite(member.id)).inviteCode)).statusCode).toBe(
        200,
      );
      const { inviteCode } = await invite(member.id);
      const res = await bind((await resident('second-owner')).token, inviteCode);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('MEMBER_ALREADY_BOUND');
      const stored = await stack.app.models.Invite.findOne({ codeHash: hashInviteCode(inviteCode) }).lean();
      expect(stored?.usedAt).toBeNull();
    });

    it('refuses an invite for an inactive member with 409 MEMBER_INACTIVE', async () => {
      const member = await createMember([(await createStudio()).id]);
      await asAdmin('PATCH', `/api/v1/admin/members/${member.id}`, { active: false });
      const res = await asAdmin('POST', `/api/v1/admin/members/${member.id}/invites`);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('MEMBER_INACTIVE');
    });

    it('takes member access away at once when the member is deactivated, and back when reactivated', async () => {
      const member = await createMember([(await createStudio()).id]);
      const bound = (await bind((await resident('to-be-disabled')).token, (await invite(member.id)).inviteCode)).json();
      expect((await actorOf(bound.token))?.role).toBe('member');

      expect((await asAdmin('PATCH', `/api/v1/admin/members/${member.id}`, { active: false })).json().active).toBe(
        false,
      );
      const actor = await actorOf(bound.token);
      expect(actor).toMatchObject({ role: 'resident', memberId: null, studioIds: [] });
      // The studio page no longer lists them either.
      const studioId = member.studioIds[0]!;
      const detail = (await stack.app.inject({ method: 'GET', url: `/api/v1/studios/${studioId}` })).json();
      expect(detail.members).toEqual([]);

      await asAdmin('PATCH', `/api/v1/admin/members/${member.id}`, { active: true });
      expect((await actorOf(bound.token))?.role).toBe('member');
    });

    it('rate-limits bind attempts per user with 429', async () => {
      const user = await resident('guesser');
      const codes: number[] = [];
      for (let i = 0; i < 11; i += 1) codes.push((await bind(user.token, 'ABCDEFGH')).statusCode);
      expect(codes.slice(0, 10)).toEqual(Array(10).fill(400));
      expect(codes[10]).toBe(429);
      // Another user is not affected.
      expect((await bind((await resident('honest-user')).token, 'ABCDEFGH')).statusCode).toBe(400);
    });

    it.each([
      ['no code', {}],
      ['a number', { inviteCode: 12345678 }],
      ['an overlong code', { inviteCode: 'A'.repeat(100) }],
    ])('rejects a bind with %s as 400 VALIDATION_FAILED', async (_label, payload) => {
      const user = await resident('sloppy-typist');
      const res = await stack.app.inject({
        method: 'POST',
        url: '/api/v1/auth/bind',
        headers: bearer(user.token),
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    });
  });

  describe('authorization', () => {
    const adminRoutes: [string, string, Json?][] = [
      ['POST', '/api/v1/admin/studios', { name: '某', kind: 'town', town: '某镇' }],
      ['PATCH', `/api/v1/admin/studios/${new Types.ObjectId().toHexString()}`, { star: 1 }],
      ['GET', '/api/v1/admin/members'],
      ['POST', '/api/v1/admin/members', { name: '某', title: '委员', studioIds: [new Types.ObjectId().toHexString()] }],
      ['PATCH', `/api/v1/admin/members/${new Types.ObjectId().toHexString()}`, { name: '某' }],
      ['POST', `/api/v1/admin/members/${new Types.ObjectId().toHexString()}/invites`],
    ];

    it('answers 401 without a token and 403 to residents and members on every admin route', async () => {
      const res = await resident('curious-resident');
      const member = await createMember([(await createStudio()).id]);
      const memberToken = (
        await bind((await resident('curious-member')).token, (await invite(member.id)).inviteCode)
      ).json().token;
      for (const [method, url, payload] of adminRoutes) {
        const inject = (headers: Record<string, string>) =>
          stack.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
        expect({ url, status: (await inject({})).statusCode }).toEqual({ url, status: 401 });
        expect({ url, status: (await inject(bearer(res.token))).statusCode }).toEqual({ url, status: 403 });
        expect({ url, status: (await inject(bearer(memberToken))).statusCode }).toEqual({ url, status: 403 });
      }
    });

    it('refuses bind to an admin (403) and to nobody (401)', async () => {
      expect((await bind(adminToken, 'ABCDEFGH')).statusCode).toBe(403);
      const anonymous = await stack.app.inject({
        method: 'POST',
        url: '/api/v1/auth/bind',
        payload: { inviteCode: 'ABCDEFGH' },
      });
      expect(anonymous.statusCode).toBe(401);
    });

    it('describes the new routes in the OpenAPI document', async () => {
      const doc = (await stack.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
        paths: Record<string, Record<string, { operationId?: string; security?: unknown }>>;
      };
      const ops = Object.fromEntries(
        Object.entries(doc.paths).flatMap(([p, m]) =>
          Object.entries(m).map(([verb, op]) => [`${verb.toUpperCase()} ${p}`, op]),
        ),
      );
      expect(ops['POST /api/v1/admin/studios']?.operationId).toBe('adminCreateStudio');
      expect(ops['PATCH /api/v1/admin/studios/{id}']?.operationId).toBe('adminUpdateStudio');
      expect(ops['GET /api/v1/admin/members']?.operationId).toBe('adminListMembers');
      expect(ops['POST /api/v1/admin/members']?.operationId).toBe('adminCreateMember');
      expect(ops['PATCH /api/v1/admin/members/{id}']?.operationId).toBe('adminUpdateMember');
      expect(ops['POST /api/v1/admin/members/{id}/invites']?.operationId).toBe('adminCreateMemberInvite');
      expect(ops['POST /api/v1/auth/bind']?.operationId).toBe('bindMemberWithInvite');
      expect(ops['POST /api/v1/auth/bind']?.security).toEqual([{ bearerAuth: [] }]);
    });
  });
});
