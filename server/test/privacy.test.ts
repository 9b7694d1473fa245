import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { TEST_ADMIN_PASSWORD, startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin } from './helpers/actors';
import { uploadPng } from './helpers/uploads';
import { seedDemoData } from '../src/seed/seed';

/**
 * After a whole ticket life, nothing personal has gone where it should not: no openid or session key
 * in any answer, phones only to those allowed, invite codes only to the admin who made them, and
 * none of it (nor tokens, ticket text or the admin password) in the log.
 */

const RESIDENT_PHONE = '13712345678';
const MEMBER_PHONE = '13698765432';
const CONTENT = '隐私测试：三号楼楼顶水箱漏水，楼道墙面长期潮湿发霉。';
const CONTACT_NAME = '陈女士';
const REPLY = '隐私测试答复：已联系物业维修水箱。';
const NOTE = '隐私测试内部备注：物业经理手机另行联系。';
const RESOLVE_NOTE = '隐私测试办结说明：水箱已更换。';
const RATING_COMMENT = '隐私测试评价：处理及时。';
const REOPEN_REASON = '隐私测试重开理由：墙面仍在渗水。';

type Who = 'resident' | 'stranger' | 'member' | 'outsider' | 'admin' | 'anonymous';

interface Seen {
  who: Who;
  what: string;
  body: string;
  /** The ticket this answer is about, when one (phone visibility depends on its allowContact). */
  ticket?: 'private' | 'open';
}

describe('privacy', () => {
  let stack: TestStack;
  const seen: Seen[] = [];
  const tokens: string[] = [];
  const inviteCodes: string[] = [];
  const codes = {
    resident: 'privacy-resident',
    stranger: 'privacy-stranger',
    member: 'privacy-member',
    outsider: 'privacy-outsider',
  };
  const openids: string[] = [];
  const headers = {} as Record<Who, Record<string, string>>;
  const ids = { privateTicket: '', openTicket: '', upload: '', memberId: '', studioId: '' };

  const isJson = (res: LightMyRequestResponse) => String(res.headers['content-type'] ?? '').includes('json');

  /** Every call goes through here, so every answer body is kept for the checks at the end. */
  async function call(who: Who, options: InjectOptions, ticket?: Seen['ticket']): Promise<LightMyRequestResponse> {
    const res = await stack.app.inject({ ...options, headers: { ...(options.headers ?? {}), ...headers[who] } });
    seen.push({
      who,
      what: `${String(options.method)} ${String(options.url)} → ${res.statusCode}`,
      body: isJson(res) ? res.body : res.rawPayload.toString('latin1'),
      ticket,
    });
    for (const value of Object.values(res.headers))
      seen.push({ who, what: `${String(options.method)} ${String(options.url)} header`, body: String(value) });
    return res;
  }
  const ok = (res: LightMyRequestResponse, status = 200) => {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json();
  };
  const signIn = async (who: Who, code: string) => {
    const body = ok(await call('anonymous', { method: 'POST', url: '/api/v1/auth/wechat', payload: { code } }));
    tokens.push(body.token);
    headers[who] = { authorization: `Bearer ${body.token}` };
    return body.user.id as string;
  };

  beforeAll(async () => {
    stack = await startTestStack({ RATE_LIMIT_GLOBAL_PER_MINUTE: '100000' });
    await seedDemoData(stack.app.models);
    headers.anonymous = {};
    for (const code of Object.values(codes)) {
      const res = await fetch(`${stack.wechatUrl}/__fake/openid?code=${encodeURIComponent(code)}`);
      openids.push(((await res.json()) as { openid: string }).openid);
    }
    expect(openids.every((o) => typeof o === 'string' && o.length >= 8)).toBe(true);

    // The admin signs in with the password (through `call`, so that answer is checked too).
    const admin = await signInAdmin(stack.app);
    tokens.push(admin.token);
    headers.admin = admin.headers;
    const password = ok(
      await call('anonymous', {
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
      }),
    );
    tokens.push(password.token);

    const studio = await stack.app.models.Studio.findOne({ code: 'hnyw' }).lean();
    const other = await stack.app.models.Studio.findOne({ code: 'hnxs' }).lean();
    ids.studioId = String(studio!._id);

    // The admin adds a member with a phone, and invites them; the member binds from WeChat.
    const member = ok(
      await call('admin', {
        method: 'POST',
        url: '/api/v1/admin/members',
        payload: { name: '隐私委员', title: '市政协委员', phone: MEMBER_PHONE, studioIds: [ids.studioId] },
      }),
      201,
    );
    ids.memberId = member.id;
    const invite = ok(await call('admin', { method: 'POST', url: `/api/v1/admin/members/${member.id}/invites` }), 201);
    inviteCodes.push(invite.inviteCode);
    await signIn('member', codes.member);
    const bound = ok(
      await call('member', {
        method: 'POST',
        url: '/api/v1/auth/bind',
        payload: { inviteCode: invite.inviteCode.toLowerCase() },
      }),
    );
    tokens.push(bound.token);
    headers.member = { authorization: `Bearer ${bound.token}` };

    // A member of another studio, bound the same way.
    const otherMember = await stack.app.models.Member.findOne({ studioIds: other!._id }).lean();
    const otherInvite = ok(
      await call('admin', { method: 'POST', url: `/api/v1/admin/members/${String(otherMember!._id)}/invites` }),
      201,
    );
    inviteCodes.push(otherInvite.inviteCode);
    await signIn('outsider', codes.outsider);
    const outsiderBound = ok(
      await call('outsider', {
        method: 'POST',
        url: '/api/v1/auth/bind',
        payload: { inviteCode: otherInvite.inviteCode },
      }),
    );
    tokens.push(outsiderBound.token);
    headers.outsider = { authorization: `Bearer ${outsiderBound.token}` };

    await signIn('resident', codes.resident);
    await signIn('stranger', codes.stranger);

    // The resident uploads a photo and submits: once keeping the phone private, once allowing contact.
    const residentCaller = { token: '', userId: '', headers: headers.resident as { authorization: string } };
    ids.upload = (await uploadPng(stack.app, residentCaller, 'privacy photo')).id;
    const submit = async (allowContact: boolean, images: string[]) =>
      ok(
        await call(
          'resident',
          {
            method: 'POST',
            url: '/api/v1/tickets',
            headers: { 'idempotency-key': idempotencyKey() },
            payload: {
              studioId: ids.studioId,
              category: 'help',
              content: CONTENT,
              contactPhone: RESIDENT_PHONE,
              contactName: CONTACT_NAME,
              allowContact,
              images,
            },
          },
          allowContact ? 'open' : 'private',
        ),
        201,
      ).id as string;
    ids.privateTicket = await submit(false, [ids.upload]);
    ids.openTicket = await submit(true, []);

    // The whole life of the private ticket, through the API.
    const t = `/api/v1/tickets/${ids.privateTicket}`;
    ok(await call('member', { method: 'POST', url: `${t}/replies`, payload: { content: REPLY } }, 'private'), 201);
    ok(
      await call(
        'member',
        { method: 'POST', url: `${t}/replies`, payload: { content: NOTE, internal: true } },
        'private',
      ),
      201,
    );
    ok(
      await call(
        'member',
        { method: 'POST', url: `${t}/resolve`, payload: { outcome: 'service_project', note: RESOLVE_NOTE } },
        'private',
      ),
    );
    ok(
      await call(
        'resident',
        { method: 'POST', url: `${t}/rating`, payload: { score: 4, comment: RATING_COMMENT } },
        'private',
      ),
    );
    ok(await call('resident', { method: 'POST', url: `${t}/reopen`, payload: { reason: REOPEN_REASON } }, 'private'));
    ok(await call('admin', { method: 'POST', url: `${t}/assign`, payload: { memberId: ids.memberId } }, 'private'));
    ok(
      await call(
        'member',
        { method: 'POST', url: `/api/v1/tickets/${ids.openTicket}/replies`, payload: { content: REPLY } },
        'open',
      ),
      201,
    );

    // Then everyone reads everything they can reach (and some they cannot).
    const everyone: Who[] = ['resident', 'stranger', 'member', 'outsider', 'admin', 'anonymous'];
    await Promise.all(
      everyone.flatMap((who) => [
        call(who, { method: 'GET', url: '/api/v1/tickets?limit=100' }),
        call(who, { method: 'GET', url: '/api/v1/tickets?limit=100&status=assigned' }),
        call(who, { method: 'GET', url: t }, 'private'),
        call(who, { method: 'GET', url: `/api/v1/tickets/${ids.openTicket}` }, 'open'),
        call(who, { method: 'GET', url: `/api/v1/uploads/${ids.upload}` }),
        call(who, { method: 'GET', url: '/api/v1/studios' }),
        call(who, { method: 'GET', url: `/api/v1/studios/${ids.studioId}` }),
        call(who, { method: 'GET', url: '/api/v1/studios/by-scene/s=hnyw' }),
        call(who, { method: 'GET', url: '/api/v1/admin/members?limit=100' }),
        call(who, { method: 'GET', url: `/api/v1/admin/members?studioId=${ids.studioId}` }),
        call(who, { method: 'POST', url: `${t}/replies`, payload: { content: '越权回复尝试' } }, 'private'),
      ]),
    );
    ok(
      await call('admin', {
        method: 'PATCH',
        url: `/api/v1/admin/members/${ids.memberId}`,
        payload: { title: '区政协委员' },
      }),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  const leaks = (needle: string, allowed: (s: Seen) => boolean = () => false) =>
    seen.filter((s) => s.body.includes(needle) && !allowed(s)).map((s) => `${s.who}: ${s.what}`);

  it('ran the whole life and collected the answers', () => {
    expect(seen.length).toBeGreaterThan(80);
    const full = seen.find(
      (s) => s.who === 'admin' && s.what.startsWith(`GET /api/v1/tickets/${ids.privateTicket} → 200`),
    );
    const types = (JSON.parse(full!.body) as { timeline: { type: string }[] }).timeline.map((e) => e.type);
    expect(types).toEqual(['submitted', 'assigned', 'reply', 'note', 'resolved', 'rated', 'reopened', 'reassigned']);
    console.log(
      `privacy: ${seen.filter((x) => !x.what.endsWith(' header')).length} answers (and their headers) checked, ${stack.logs.lines.length} log lines checked`,
    );
  });

  it('never answers with an openid or a session key', () => {
    for (const openid of openids) expect({ openid, leaks: leaks(openid) }).toEqual({ openid, leaks: [] });
    expect(leaks('session_key')).toEqual([]);
    expect(leaks('sessionKey')).toEqual([]);
    expect(leaks('openid')).toEqual([]);
  });

  it('shows an invite code only in the answer that created it', () => {
    for (const code of inviteCodes) {
      const where = leaks(code);
      expect(where).toHaveLength(1);
      expect(where[0]).toMatch(/^admin: POST \/api\/v1\/admin\/members\/[0-9a-f]{24}\/invites → 201$/);
    }
  });

  it("shows the resident's phone only to the resident, and to staff only where the resident allowed contact", () => {
    const allowed = (s: Seen) =>
      s.who === 'resident' || (s.ticket === 'open' && (s.who === 'member' || s.who === 'admin'));
    expect(leaks(RESIDENT_PHONE, allowed)).toEqual([]);
    // And they do see it there: the check above is not passing because nobody ever sees it.
    expect(leaks(RESIDENT_PHONE).some((w) => w.startsWith('member: GET /api/v1/tickets/'))).toBe(true);
    expect(leaks(RESIDENT_PHONE).some((w) => w.startsWith('resident: GET /api/v1/tickets/'))).toBe(true);
    // Where it is hidden, staff see it masked.
    expect(leaks('137****5678').some((w) => w.startsWith('member: GET /api/v1/tickets/'))).toBe(true);
  });

  it("never shows a member's phone, not even to the admin", () => {
    expect(leaks(MEMBER_PHONE)).toEqual([]);
    expect(leaks('136****5432').some((w) => w.startsWith('admin: '))).toBe(true);
  });

  it('hides internal notes and the resident from those who may not see them', () => {
    expect(leaks(NOTE, (s) => s.who === 'member' || s.who === 'admin')).toEqual([]);
    expect(leaks(CONTENT, (s) => s.who === 'resident' || s.who === 'member' || s.who === 'admin')).toEqual([]);
    expect(leaks(CONTACT_NAME, (s) => s.who === 'resident' || s.who === 'member' || s.who === 'admin')).toEqual([]);
  });

  it('never logs openids, phones, tokens, ticket text, invite codes or the admin password', () => {
    const log = stack.logs.text;
    expect(stack.logs.lines.some((l) => l.includes('"level":20'))).toBe(true); // debug lines are captured
    const secrets: Record<string, string[]> = {
      openid: openids,
      phone: [RESIDENT_PHONE, MEMBER_PHONE],
      token: tokens,
      'ticket content': [CONTENT],
      'invite code': [...inviteCodes, ...inviteCodes.map((c) => c.toLowerCase())],
      'admin password': [TEST_ADMIN_PASSWORD],
    };
    const found = Object.entries(secrets).flatMap(([kind, values]) =>
      values.filter((v) => log.includes(v)).map((v) => `${kind}: ${v.slice(0, 16)}…`),
    );
    expect(found).toEqual([]);
    // Token pieces too: a log line with just the signature part of a JWT is as bad as the whole.
    expect(tokens.filter((tok) => log.includes(tok.split('.')[2]!))).toEqual([]);
  });

  it('never logs the other ticket texts either (replies, notes, reasons, names)', () => {
    const log = stack.logs.text;
    expect(
      [REPLY, NOTE, RESOLVE_NOTE, RATING_COMMENT, REOPEN_REASON, CONTACT_NAME].filter((text) => log.includes(text)),
    ).toEqual([]);
  });
});
