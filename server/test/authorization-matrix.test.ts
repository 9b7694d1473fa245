import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Types } from 'mongoose';
import { TEST_ADMIN_PASSWORD, imageChecksSettled, startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { bearer, signJwt, unsignedJwt } from './helpers/tokens';
import { randomBytes } from 'node:crypto';
import { multipart } from './helpers/uploads';
import { seedDemoData } from '../src/seed/seed';
import { DEV_PUSH_TOKEN } from '../src/config';
import { pushSignature } from '../src/modules/media-check/service';

/**
 * Who may call what: every route of the app (as its OpenAPI document lists them) against every
 * kind of caller. A route added without rows here, or a row for a route that is gone, fails the test.
 */

/** One photo as `Taro.uploadFile` sends it; the server recognises a PNG by its first bytes. */
function imageUpload() {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(120)]);
  return multipart([{ name: 'file', filename: 'photo.png', contentType: 'image/png', data: png }]);
}

const CALLERS = [
  'anonymous',
  'forged',
  'expired',
  'unsigned',
  'deleted',
  'residentA',
  'residentB',
  'memberS',
  'memberOther',
  'admin',
] as const;
type CallerName = (typeof CALLERS)[number];
type Expectation = Record<CallerName, number>;

/** Callers without a usable identity: no token, wrong secret, expired, `alg: none`, a deleted user. */
const signedOut = (status: number) => ({
  anonymous: status,
  forged: status,
  expired: status,
  unsigned: status,
  deleted: status,
});
const signedIn = (s: {
  residentA: number;
  residentB: number;
  memberS: number;
  memberOther: number;
  admin: number;
}): Expectation => ({ ...signedOut(401), ...s });
const everyone = (status: number): Expectation => ({
  ...signedOut(status),
  residentA: status,
  residentB: status,
  memberS: status,
  memberOther: status,
  admin: status,
});
const residentsOnly = (owner: number, stranger: number) =>
  signedIn({ residentA: owner, residentB: stranger, memberS: 403, memberOther: 403, admin: 403 });
const staffOnTicket = (ok: number) =>
  signedIn({ residentA: 403, residentB: 403, memberS: ok, memberOther: 404, admin: ok });
const adminOnly = (ok: number) =>
  signedIn({ residentA: 403, residentB: 403, memberS: 403, memberOther: 403, admin: ok });

/** What a row needs from the world: ids of the fixtures, and a way to make fresh ones for calls that change state. */
interface World {
  studioS: string;
  studioOther: string;
  scratchStudio: string;
  scratchMember: string;
  /** Another member of studio S: the target of transfers. */
  colleague: string;
  memberIds: Record<'memberS' | 'memberOther', string>;
  ticket: { assigned: string; answered: string; resolved: string; waiting: string };
  upload: { loose: string; attached: string; signedUrl: string };
  freshTicket(state: TicketState): Promise<string>;
  freshInvite(memberId: string): Promise<string>;
  /** The id of a new, unused invite for the member. */
  freshInviteId(memberId: string): Promise<string>;
  /** The 三转 record of a ticket resolved into a proposal. */
  outcomeRecord: string;
  /** A duty project of a member of studio S. */
  project: string;
  /** A day of the office's calendar with an override on it (a new one each time). */
  freshCalendarOverride(): Promise<string>;
  /** A canned reply of studio S, and a way to make a new one. */
  cannedReply: string;
  freshCannedReply(): Promise<string>;
  listOf(res: LightMyRequestResponse): string[];
  /** A second token of the caller's identity, for calls that revoke the token they carry. */
  secondSession(who: CallerName): Record<string, string>;
}

interface Row {
  route: string;
  variant?: string;
  expect: Expectation;
  /** The request for one caller; `fresh` is true when this call is expected to change state. */
  request(w: World, who: CallerName, fresh: boolean): Promise<InjectOptions> | InjectOptions;
  /** Expected error codes by status, where they differ from the defaults (401 UNAUTHORIZED/TOKEN_EXPIRED, 403 FORBIDDEN). */
  codes?: Partial<Record<number, string>>;
  /** Extra checks on a successful answer; returns a problem or null. */
  check?(res: LightMyRequestResponse, who: CallerName, w: World): string | null;
}

type TicketState = 'assigned' | 'answered' | 'resolved' | 'waiting';

const ticketRoute =
  (path: string, state: TicketState, payload: (w: World) => object) =>
  async (w: World, _who: CallerName, fresh: boolean): Promise<InjectOptions> => {
    const id = fresh ? await w.freshTicket(state) : w.ticket[state];
    return { method: 'POST', url: `/api/v1/tickets/${id}/${path}`, payload: payload(w) };
  };

/** A signed push query with a fresh nonce, as WeChat sends it (each nonce is accepted once). */
function signedPushQuery(token = DEV_PUSH_TOKEN): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(8).toString('hex');
  return new URLSearchParams({ signature: pushSignature(token, timestamp, nonce), timestamp, nonce }).toString();
}

const ROWS: Row[] = [
  { route: 'GET /healthz', expect: everyone(200), request: () => ({ method: 'GET', url: '/healthz' }) },
  {
    route: 'POST /api/v1/auth/logout',
    expect: signedIn({ residentA: 204, residentB: 204, memberS: 204, memberOther: 204, admin: 204 }),
    request: (w, who) => ({ method: 'POST', url: '/api/v1/auth/logout', headers: w.secondSession(who) }),
  },
  {
    route: 'POST /api/v1/auth/refresh',
    expect: signedIn({ residentA: 200, residentB: 200, memberS: 200, memberOther: 200, admin: 200 }),
    request: (w, who) => ({ method: 'POST', url: '/api/v1/auth/refresh', headers: w.secondSession(who) }),
  },
  { route: 'GET /readyz', expect: everyone(200), request: () => ({ method: 'GET', url: '/readyz' }) },
  // WeChat's message push carries no user token: its signature decides, whoever else calls.
  {
    route: 'GET /api/v1/wechat/push',
    expect: everyone(200),
    request: () => ({ method: 'GET', url: `/api/v1/wechat/push?${signedPushQuery()}&echostr=matrixEcho` }),
    check: (res) => (res.body === 'matrixEcho' ? null : `echoed ${res.body.slice(0, 40)}`),
  },
  {
    route: 'GET /api/v1/wechat/push',
    variant: 'signed with another token',
    expect: everyone(403),
    codes: { 403: 'PUSH_SIGNATURE_INVALID' },
    request: () => ({ method: 'GET', url: `/api/v1/wechat/push?${signedPushQuery('notOurToken')}&echostr=matrixEcho` }),
  },
  {
    route: 'POST /api/v1/wechat/push',
    expect: everyone(200),
    request: () => ({
      method: 'POST',
      url: `/api/v1/wechat/push?${signedPushQuery()}`,
      payload: {
        MsgType: 'event',
        Event: 'wxa_media_check',
        trace_id: 'unknown-trace',
        errcode: 0,
        result: { suggest: 'pass' },
      },
    }),
  },
  {
    route: 'POST /api/v1/wechat/push',
    variant: 'signed with another token',
    expect: everyone(403),
    codes: { 403: 'PUSH_SIGNATURE_INVALID' },
    request: () => ({
      method: 'POST',
      url: `/api/v1/wechat/push?${signedPushQuery('notOurToken')}`,
      payload: {
        MsgType: 'event',
        Event: 'wxa_media_check',
        trace_id: 'unknown-trace',
        errcode: 0,
        result: { suggest: 'pass' },
      },
    }),
  },

  {
    route: 'POST /api/v1/auth/wechat',
    expect: everyone(200),
    request: () => ({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'matrix-newcomer' } }),
  },
  {
    route: 'POST /api/v1/auth/wechat',
    variant: 'a code WeChat rejects',
    expect: everyone(401),
    codes: { 401: 'WECHAT_CODE_INVALID' },
    request: () => ({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'bad-matrix-code' } }),
  },
  {
    route: 'POST /api/v1/auth/password',
    expect: everyone(200),
    request: () => ({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    }),
  },
  {
    route: 'POST /api/v1/auth/password',
    variant: 'wrong password',
    expect: everyone(401),
    codes: { 401: 'BAD_CREDENTIALS' },
    request: () => ({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: 'not-the-password' },
    }),
  },
  {
    route: 'POST /api/v1/auth/bind',
    variant: 'residents with an unknown code, members re-binding their own record with a fresh invite',
    // Admins sign in with a password and have no WeChat identity to bind.
    expect: signedIn({ residentA: 400, residentB: 400, memberS: 200, memberOther: 200, admin: 403 }),
    codes: { 400: 'INVITE_INVALID' },
    request: async (w, who) => ({
      method: 'POST',
      url: '/api/v1/auth/bind',
      payload: {
        inviteCode: who === 'memberS' || who === 'memberOther' ? await w.freshInvite(w.memberIds[who]) : 'ABCDEFGH',
      },
    }),
  },

  { route: 'GET /api/v1/studios', expect: everyone(200), request: () => ({ method: 'GET', url: '/api/v1/studios' }) },
  {
    route: 'GET /api/v1/studios/{id}',
    expect: everyone(200),
    request: (w) => ({ method: 'GET', url: `/api/v1/studios/${w.studioS}` }),
  },
  {
    route: 'GET /api/v1/studios/{id}',
    variant: 'no such studio',
    expect: everyone(404),
    request: () => ({ method: 'GET', url: `/api/v1/studios/${new Types.ObjectId().toHexString()}` }),
  },
  {
    route: 'GET /api/v1/studios/by-scene/{scene}',
    expect: everyone(200),
    request: () => ({ method: 'GET', url: '/api/v1/studios/by-scene/s=hnyw' }),
  },

  {
    route: 'POST /api/v1/admin/studios',
    expect: adminOnly(201),
    request: () => ({
      method: 'POST',
      url: '/api/v1/admin/studios',
      payload: { name: '矩阵测试工作室', kind: 'sector', sector: '特邀界' },
    }),
  },
  {
    route: 'GET /api/v1/admin/studios',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/studios?state=all&limit=100' }),
    check: (res) =>
      (res.json() as { items: { active: boolean }[] }).items.every((s) => typeof s.active === 'boolean')
        ? null
        : 'items without their state',
  },
  {
    route: 'GET /api/v1/admin/studios/{id}',
    expect: adminOnly(200),
    request: (w) => ({ method: 'GET', url: `/api/v1/admin/studios/${w.studioS}` }),
  },
  {
    route: 'GET /api/v1/admin/studios/{id}',
    variant: 'no such studio',
    expect: adminOnly(404),
    codes: { 404: 'STUDIO_NOT_FOUND' },
    request: () => ({ method: 'GET', url: `/api/v1/admin/studios/${new Types.ObjectId().toHexString()}` }),
  },
  {
    route: 'GET /api/v1/canned-replies',
    expect: signedIn({ residentA: 403, residentB: 403, memberS: 200, memberOther: 403, admin: 200 }),
    request: (w) => ({ method: 'GET', url: `/api/v1/canned-replies?studioId=${w.studioS}` }),
  },
  {
    route: 'POST /api/v1/canned-replies',
    variant: 'for studio S (memberS leads it)',
    expect: signedIn({ residentA: 403, residentB: 403, memberS: 201, memberOther: 403, admin: 201 }),
    request: (w) => ({
      method: 'POST',
      url: '/api/v1/canned-replies',
      payload: { studioId: w.studioS, title: '矩阵新增', text: '内容' },
    }),
  },
  {
    route: 'PATCH /api/v1/canned-replies/{id}',
    expect: signedIn({ residentA: 403, residentB: 403, memberS: 200, memberOther: 403, admin: 200 }),
    request: (w) => ({
      method: 'PATCH',
      url: `/api/v1/canned-replies/${w.cannedReply}`,
      payload: { title: '矩阵修改' },
    }),
  },
  {
    route: 'DELETE /api/v1/canned-replies/{id}',
    expect: signedIn({ residentA: 403, residentB: 403, memberS: 204, memberOther: 403, admin: 204 }),
    request: async (w, _who, fresh) => ({
      method: 'DELETE',
      url: `/api/v1/canned-replies/${fresh ? await w.freshCannedReply() : w.cannedReply}`,
    }),
  },
  {
    route: 'POST /api/v1/canned-replies/{id}/uses',
    expect: signedIn({ residentA: 403, residentB: 403, memberS: 200, memberOther: 403, admin: 200 }),
    request: (w) => ({ method: 'POST', url: `/api/v1/canned-replies/${w.cannedReply}/uses` }),
  },
  {
    route: 'GET /api/v1/admin/calendar',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/calendar?year=2026' }),
  },
  {
    route: 'PUT /api/v1/admin/calendar/days/{date}',
    expect: adminOnly(200),
    request: () => ({
      method: 'PUT',
      url: '/api/v1/admin/calendar/days/2098-12-31',
      payload: { workday: false, name: '权限矩阵测试' },
    }),
  },
  {
    route: 'DELETE /api/v1/admin/calendar/days/{date}',
    expect: adminOnly(200),
    request: async (w, _who, fresh) => ({
      method: 'DELETE',
      url: `/api/v1/admin/calendar/days/${fresh ? await w.freshCalendarOverride() : '2098-02-01'}`,
    }),
  },
  {
    route: 'GET /api/v1/admin/invites',
    expect: adminOnly(200),
    request: (w) => ({ method: 'GET', url: `/api/v1/admin/invites?studioId=${w.scratchStudio}` }),
  },
  {
    route: 'POST /api/v1/admin/invites/{id}/revoke',
    expect: adminOnly(200),
    request: async (w, _who, fresh) => ({
      method: 'POST',
      url: `/api/v1/admin/invites/${fresh ? await w.freshInviteId(w.scratchMember) : new Types.ObjectId().toHexString()}/revoke`,
    }),
  },
  {
    route: 'POST /api/v1/admin/invites/{id}/revoke',
    variant: 'no such invite',
    expect: adminOnly(404),
    codes: { 404: 'INVITE_NOT_FOUND' },
    request: () => ({ method: 'POST', url: `/api/v1/admin/invites/${new Types.ObjectId().toHexString()}/revoke` }),
  },
  {
    route: 'PATCH /api/v1/admin/studios/{id}',
    expect: adminOnly(200),
    request: (w) => ({
      method: 'PATCH',
      url: `/api/v1/admin/studios/${w.scratchStudio}`,
      payload: { intro: '用于权限矩阵测试' },
    }),
  },
  {
    route: 'GET /api/v1/admin/members',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/members' }),
  },
  {
    route: 'POST /api/v1/admin/members',
    expect: adminOnly(201),
    request: (w) => ({
      method: 'POST',
      url: '/api/v1/admin/members',
      payload: { name: '矩阵委员', title: '区政协委员', studioIds: [w.scratchStudio] },
    }),
  },
  {
    route: 'PATCH /api/v1/admin/members/{id}',
    expect: adminOnly(200),
    request: (w) => ({
      method: 'PATCH',
      url: `/api/v1/admin/members/${w.scratchMember}`,
      payload: { title: '市政协委员' },
    }),
  },
  {
    route: 'POST /api/v1/admin/members/{id}/invites',
    expect: adminOnly(201),
    request: (w) => ({ method: 'POST', url: `/api/v1/admin/members/${w.scratchMember}/invites` }),
  },
  {
    route: 'GET /api/v1/admin/studios/{id}/qrcode',
    expect: adminOnly(200),
    request: (w) => ({ method: 'GET', url: `/api/v1/admin/studios/${w.studioS}/qrcode?width=280` }),
    check: (res) =>
      res.headers['content-type'] === 'image/png' && res.rawPayload.subarray(1, 4).toString() === 'PNG'
        ? null
        : `not a PNG: ${String(res.headers['content-type'])}`,
  },
  {
    route: 'GET /api/v1/admin/studios/{id}/qrcode',
    variant: 'H5 link code',
    expect: adminOnly(200),
    request: (w) => ({ method: 'GET', url: `/api/v1/admin/studios/${w.studioOther}/qrcode?type=h5&width=280` }),
  },
  {
    route: 'GET /api/v1/admin/studios/{id}/qrcode',
    variant: 'no such studio',
    expect: adminOnly(404),
    codes: { 404: 'STUDIO_NOT_FOUND' },
    request: () => ({ method: 'GET', url: `/api/v1/admin/studios/${new Types.ObjectId().toHexString()}/qrcode` }),
  },
  {
    route: 'GET /api/v1/admin/stats',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/stats?groupBy=town' }),
    check: (res) => ((res.json() as { total: { tickets: number } }).total.tickets > 0 ? null : 'no tickets counted'),
  },
  {
    route: 'GET /api/v1/admin/stats/export',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/stats/export?format=csv' }),
    check: (res) =>
      String(res.headers['content-type']).startsWith('text/csv')
        ? null
        : `content-type ${String(res.headers['content-type'])}`,
  },
  {
    route: 'GET /api/v1/admin/stats/export',
    variant: 'XLSX',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/stats/export?format=xlsx&groupBy=sector' }),
  },
  {
    route: 'GET /api/v1/admin/outcomes',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/outcomes?kind=proposal' }),
    check: (res, _who, w) => (w.listOf(res).includes(w.outcomeRecord) ? null : 'the proposal record is not listed'),
  },
  {
    route: 'PATCH /api/v1/admin/outcomes/{id}',
    expect: adminOnly(200),
    request: (w) => ({
      method: 'PATCH',
      url: `/api/v1/admin/outcomes/${w.outcomeRecord}`,
      payload: { status: 'filed', where: '提案委员会' },
    }),
  },
  {
    route: 'PATCH /api/v1/admin/outcomes/{id}',
    variant: 'no such record',
    expect: adminOnly(404),
    request: () => ({
      method: 'PATCH',
      url: `/api/v1/admin/outcomes/${new Types.ObjectId().toHexString()}`,
      payload: { status: 'adopted' },
    }),
  },
  {
    route: 'GET /api/v1/admin/outcomes/export',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/outcomes/export?format=xlsx' }),
  },
  {
    route: 'GET /api/v1/studios/{id}/stats',
    variant: "studio S: its own member and the office see it; the other studio's member does not",
    expect: signedIn({ residentA: 403, residentB: 403, memberS: 200, memberOther: 403, admin: 200 }),
    request: (w) => ({ method: 'GET', url: `/api/v1/studios/${w.studioS}/stats` }),
    check: (res, _who, w) =>
      (res.json() as { studio: { key: string; tickets: number } }).studio.key === w.studioS &&
      (res.json() as { studio: { tickets: number } }).studio.tickets > 0
        ? null
        : 'not studio S, or no tickets counted',
  },
  {
    route: 'GET /api/v1/studios/{id}/stats',
    variant: 'the other studio: only its own member and the office',
    expect: signedIn({ residentA: 403, residentB: 403, memberS: 403, memberOther: 200, admin: 200 }),
    request: (w) => ({ method: 'GET', url: `/api/v1/studios/${w.studioOther}/stats` }),
    check: (res, _who, w) =>
      (res.json() as { studio: { key: string } }).studio.key === w.studioOther ? null : 'not the other studio',
  },
  {
    route: 'GET /api/v1/studios/{id}/stats',
    variant: 'no such studio',
    expect: signedIn({ residentA: 403, residentB: 403, memberS: 403, memberOther: 403, admin: 404 }),
    codes: { 404: 'STUDIO_NOT_FOUND' },
    request: () => ({ method: 'GET', url: `/api/v1/studios/${new Types.ObjectId().toHexString()}/stats` }),
  },
  {
    route: 'PATCH /api/v1/admin/studios/{id}',
    variant: 'a star change with its reason (recorded as an override)',
    expect: adminOnly(200),
    request: (w, who) => ({
      method: 'PATCH',
      url: `/api/v1/admin/studios/${w.scratchStudio}`,
      payload: { star: who === 'admin' ? 2 : 1, starReason: '权限矩阵测试' },
    }),
  },
  {
    route: 'GET /api/v1/admin/studios/{id}/stars',
    expect: adminOnly(200),
    request: (w) => ({ method: 'GET', url: `/api/v1/admin/studios/${w.studioS}/stars` }),
  },
  {
    route: 'POST /api/v1/admin/studios/{id}/star',
    expect: adminOnly(200),
    request: (w) => ({
      method: 'POST',
      url: `/api/v1/admin/studios/${w.scratchStudio}/star`,
      payload: { star: 4, reason: '权限矩阵测试' },
    }),
  },
  {
    route: 'POST /api/v1/admin/studios/{id}/star',
    variant: 'no such studio',
    expect: adminOnly(404),
    codes: { 404: 'STUDIO_NOT_FOUND' },
    request: () => ({
      method: 'POST',
      url: `/api/v1/admin/studios/${new Types.ObjectId().toHexString()}/star`,
      payload: { star: 4, reason: '权限矩阵测试' },
    }),
  },
  {
    route: 'POST /api/v1/admin/stars/recompute',
    expect: adminOnly(202),
    request: () => ({ method: 'POST', url: '/api/v1/admin/stars/recompute' }),
  },
  {
    route: 'POST /api/v1/tickets/{id}/follow-up',
    variant: 'before the follow-up was asked',
    expect: residentsOnly(409, 404),
    codes: { 409: 'FOLLOW_UP_NOT_ASKED', 404: 'TICKET_NOT_FOUND' },
    request: (w) => ({
      method: 'POST',
      url: `/api/v1/tickets/${w.ticket.resolved}/follow-up`,
      payload: { settled: true },
    }),
  },
  {
    route: 'GET /api/v1/admin/projects',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/projects?year=2026' }),
  },
  {
    route: 'POST /api/v1/admin/projects',
    expect: adminOnly(201),
    request: (w) => ({
      method: 'POST',
      url: '/api/v1/admin/projects',
      payload: { memberId: w.scratchMember, year: 2026, title: '权限矩阵项目' },
    }),
  },
  {
    route: 'PATCH /api/v1/admin/projects/{id}',
    expect: adminOnly(200),
    request: (w) => ({
      method: 'PATCH',
      url: `/api/v1/admin/projects/${w.project}`,
      payload: { summary: '权限矩阵修改' },
    }),
  },
  {
    route: 'PATCH /api/v1/admin/projects/{id}',
    variant: 'no such project',
    expect: adminOnly(404),
    request: () => ({
      method: 'PATCH',
      url: `/api/v1/admin/projects/${new Types.ObjectId().toHexString()}`,
      payload: { summary: '无' },
    }),
  },
  {
    route: 'GET /api/v1/admin/projects/export',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/projects/export?format=csv' }),
  },
  {
    route: 'GET /api/v1/admin/service-items/export',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/service-items/export?format=xlsx' }),
  },
  {
    route: 'GET /api/v1/admin/studios/{id}/poster',
    expect: adminOnly(200),
    request: (w) => ({ method: 'GET', url: `/api/v1/admin/studios/${w.studioS}/poster?format=pdf` }),
    check: (res) => (res.rawPayload.subarray(0, 5).toString() === '%PDF-' ? null : 'not a PDF'),
  },
  {
    route: 'GET /api/v1/admin/posters',
    variant: "one town's studios",
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: `/api/v1/admin/posters?format=zip&town=${encodeURIComponent('演练镇')}` }),
    check: (res) =>
      res.headers['content-type'] === 'application/zip' ? null : `content-type ${String(res.headers['content-type'])}`,
  },
  {
    route: 'GET /api/v1/members/{id}',
    expect: everyone(200),
    request: (w) => ({ method: 'GET', url: `/api/v1/members/${w.memberIds.memberS}` }),
    check: (res) =>
      (res.json() as { projects: { title: string }[] }).projects.some((p) => p.title === '矩阵履职项目')
        ? null
        : 'the project is not shown',
  },
  {
    route: 'GET /api/v1/members/{id}',
    variant: 'no such member',
    expect: everyone(404),
    codes: { 404: 'MEMBER_NOT_FOUND' },
    request: () => ({ method: 'GET', url: `/api/v1/members/${new Types.ObjectId().toHexString()}` }),
  },

  {
    route: 'POST /api/v1/uploads',
    expect: signedIn({ residentA: 201, residentB: 201, memberS: 201, memberOther: 201, admin: 201 }),
    request: () => {
      const body = imageUpload();
      return { method: 'POST', url: '/api/v1/uploads', payload: body.payload, headers: body.headers };
    },
  },
  {
    route: 'GET /api/v1/uploads/{id}',
    variant: "resident A's photo not yet on a ticket",
    expect: signedIn({ residentA: 200, residentB: 404, memberS: 404, memberOther: 404, admin: 404 }),
    request: (w) => ({ method: 'GET', url: `/api/v1/uploads/${w.upload.loose}` }),
  },
  {
    route: 'GET /api/v1/uploads/{id}',
    variant: "resident A's photo on a ticket of studio S",
    expect: signedIn({ residentA: 200, residentB: 404, memberS: 200, memberOther: 404, admin: 200 }),
    request: (w) => ({ method: 'GET', url: `/api/v1/uploads/${w.upload.attached}` }),
  },
  {
    route: 'POST /api/v1/admin/uploads/{id}/check',
    variant: 'an admin confirms a photo WeChat passed',
    expect: adminOnly(200),
    request: (w) => ({
      method: 'POST',
      url: `/api/v1/admin/uploads/${w.upload.attached}/check`,
      payload: { verdict: 'pass' },
    }),
    check: (res) => (res.json().check === 'pass' ? null : `check is ${res.json().check}`),
  },
  {
    route: 'GET /api/v1/uploads/{id}',
    variant: 'signed address (the signature is the credential, whatever the token)',
    expect: everyone(200),
    request: (w) => ({ method: 'GET', url: w.upload.signedUrl }),
  },
  {
    route: 'GET /api/v1/uploads/{id}',
    variant: 'tampered signature: falls back to the token',
    expect: {
      ...signedOut(401),
      anonymous: 404,
      residentA: 200,
      residentB: 404,
      memberS: 404,
      memberOther: 404,
      admin: 404,
    },
    request: (w) => ({
      method: 'GET',
      url: `/api/v1/uploads/${w.upload.loose}?exp=${Math.floor(Date.now() / 1000) + 600}&sig=${'0'.repeat(64)}`,
    }),
  },

  {
    route: 'POST /api/v1/me/subscriptions',
    // Consents come from wx.requestSubscribeMessage: WeChat users only, not the web console's admins.
    expect: signedIn({ residentA: 200, residentB: 200, memberS: 200, memberOther: 200, admin: 403 }),
    request: () => ({ method: 'POST', url: '/api/v1/me/subscriptions', payload: { accepted: ['ticket_replied'] } }),
  },
  {
    route: 'GET /api/v1/me/subscriptions',
    expect: signedIn({ residentA: 200, residentB: 200, memberS: 200, memberOther: 200, admin: 403 }),
    request: () => ({ method: 'GET', url: '/api/v1/me/subscriptions' }),
  },
  {
    route: 'GET /api/v1/me/notifications',
    expect: signedIn({ residentA: 200, residentB: 200, memberS: 200, memberOther: 200, admin: 200 }),
    request: () => ({ method: 'GET', url: '/api/v1/me/notifications' }),
  },
  {
    route: 'POST /api/v1/me/notifications/read',
    expect: signedIn({ residentA: 200, residentB: 200, memberS: 200, memberOther: 200, admin: 200 }),
    request: () => ({ method: 'POST', url: '/api/v1/me/notifications/read', payload: { all: true } }),
  },
  {
    route: 'GET /api/v1/admin/notifications/failed',
    expect: adminOnly(200),
    request: () => ({ method: 'GET', url: '/api/v1/admin/notifications/failed' }),
  },
  {
    route: 'POST /api/v1/admin/notifications/{id}/retry',
    variant: 'no such failed notice',
    expect: adminOnly(404),
    request: () => ({ method: 'POST', url: `/api/v1/admin/notifications/${new Types.ObjectId().toHexString()}/retry` }),
  },
  {
    route: 'POST /api/v1/admin/queues/session',
    expect: adminOnly(200),
    request: () => ({ method: 'POST', url: '/api/v1/admin/queues/session' }),
  },

  {
    route: 'POST /api/v1/tickets',
    expect: residentsOnly(201, 201),
    request: (w) => ({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { 'idempotency-key': idempotencyKey() },
      payload: { studioId: w.studioS, category: 'consult', content: '权限矩阵测试：请问社保如何转移？' },
    }),
  },
  {
    route: 'GET /api/v1/tickets',
    expect: signedIn({ residentA: 200, residentB: 200, memberS: 200, memberOther: 200, admin: 200 }),
    request: () => ({ method: 'GET', url: '/api/v1/tickets?limit=100' }),
    check: (res, who, w) => {
      const sees = w.listOf(res).includes(w.ticket.assigned);
      const should = who === 'residentA' || who === 'memberS' || who === 'admin';
      return sees === should ? null : `list ${sees ? 'shows' : 'hides'} resident A's ticket`;
    },
  },
  {
    route: 'GET /api/v1/tickets/{id}/similar',
    expect: staffOnTicket(200),
    codes: { 404: 'TICKET_NOT_FOUND' },
    request: (w) => ({ method: 'GET', url: `/api/v1/tickets/${w.ticket.assigned}/similar` }),
  },
  {
    route: 'GET /api/v1/tickets/{id}',
    expect: signedIn({ residentA: 200, residentB: 404, memberS: 200, memberOther: 404, admin: 200 }),
    codes: { 404: 'TICKET_NOT_FOUND' },
    request: (w) => ({ method: 'GET', url: `/api/v1/tickets/${w.ticket.assigned}` }),
  },
  {
    route: 'GET /api/v1/tickets/{id}',
    variant: 'no such ticket',
    expect: signedIn({ residentA: 404, residentB: 404, memberS: 404, memberOther: 404, admin: 404 }),
    codes: { 404: 'TICKET_NOT_FOUND' },
    request: () => ({ method: 'GET', url: `/api/v1/tickets/${new Types.ObjectId().toHexString()}` }),
  },
  {
    route: 'POST /api/v1/tickets/{id}/replies',
    expect: staffOnTicket(201),
    codes: { 404: 'TICKET_NOT_FOUND' },
    request: ticketRoute('replies', 'assigned', () => ({ content: '您好，已收到，正在协调。' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/replies',
    variant: 'internal note on a resolved ticket',
    expect: staffOnTicket(201),
    request: ticketRoute('replies', 'resolved', () => ({ content: '内部备注：已归档', internal: true })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/replies',
    variant: 'public reply on a resolved ticket',
    expect: staffOnTicket(409),
    codes: { 409: 'TICKET_RESOLVED' },
    request: ticketRoute('replies', 'resolved', () => ({ content: '补充说明' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/assign',
    expect: staffOnTicket(200),
    request: ticketRoute('assign', 'assigned', (w) => ({ memberId: w.colleague })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/assign',
    variant: 'to a member of another studio (only admins may)',
    expect: signedIn({ residentA: 403, residentB: 403, memberS: 400, memberOther: 404, admin: 200 }),
    codes: { 400: 'MEMBER_NOT_AVAILABLE' },
    request: ticketRoute('assign', 'assigned', (w) => ({ memberId: w.memberIds.memberOther })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/resolve',
    expect: staffOnTicket(200),
    request: ticketRoute('resolve', 'answered', () => ({ outcome: 'consultation', note: '已答复' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/resolve',
    variant: 'before any reply',
    expect: staffOnTicket(409),
    codes: { 409: 'TICKET_NOT_ANSWERED' },
    request: ticketRoute('resolve', 'assigned', () => ({})),
  },
  {
    route: 'POST /api/v1/tickets/{id}/rating',
    expect: residentsOnly(200, 404),
    codes: { 404: 'TICKET_NOT_FOUND' },
    request: ticketRoute('rating', 'answered', () => ({ score: 4, comment: '回复及时' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/rating',
    variant: 'before any reply',
    expect: residentsOnly(409, 404),
    codes: { 409: 'TICKET_NOT_ANSWERED' },
    request: ticketRoute('rating', 'assigned', () => ({ score: 4 })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/reopen',
    expect: residentsOnly(200, 404),
    codes: { 404: 'TICKET_NOT_FOUND' },
    request: ticketRoute('reopen', 'resolved', () => ({ reason: '问题没有解决' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/info-request',
    expect: staffOnTicket(200),
    codes: { 404: 'TICKET_NOT_FOUND' },
    request: ticketRoute('info-request', 'assigned', () => ({ question: '请问具体是哪个小区？' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/info-request',
    variant: 'while it already waits on the resident',
    expect: staffOnTicket(409),
    codes: { 409: 'TICKET_WAITING' },
    request: ticketRoute('info-request', 'waiting', () => ({ question: '还需要什么？' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/info',
    expect: residentsOnly(200, 404),
    codes: { 404: 'TICKET_NOT_FOUND' },
    request: ticketRoute('info', 'waiting', () => ({ content: '在幸福小区 3 栋。' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/info',
    variant: 'when nothing was asked',
    expect: residentsOnly(409, 404),
    codes: { 409: 'INFO_NOT_REQUESTED', 404: 'TICKET_NOT_FOUND' },
    request: ticketRoute('info', 'assigned', () => ({ content: '补充一下' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/moderation',
    variant: 'a ticket whose content already passed',
    expect: adminOnly(409),
    request: ticketRoute('moderation', 'assigned', () => ({ decision: 'approve' })),
  },
  {
    route: 'POST /api/v1/tickets/{id}/reopen',
    variant: 'not resolved yet',
    expect: residentsOnly(409, 404),
    codes: { 409: 'TICKET_NOT_RESOLVED' },
    request: ticketRoute('reopen', 'answered', () => ({ reason: '问题没有解决' })),
  },
];

const CJK = /[\u4e00-\u9fff]/;
const BATCH = 8;

describe('authorization matrix', () => {
  let stack: TestStack;
  let world: World;
  const headers = {} as Record<CallerName, Record<string, string>>;

  beforeAll(async () => {
    // Several hundred requests from one address within a minute: lift the per-IP ceiling, nothing else.
    // Drawing a studio code in the fake WeChat is CPU-bound; on a loaded machine it can take seconds. The
    // matrix judges who may call, not how fast WeChat answers, so the wait is generous.
    stack = await startTestStack({ RATE_LIMIT_GLOBAL_PER_MINUTE: '100000', WECHAT_TIMEOUT_MS: '20000' });
    const { app } = stack;
    await seedDemoData(app.models);
    const admin = await signInAdmin(app);
    const studioS = await app.models.Studio.findOne({ code: 'hnyw' }).lean();
    const studioOther = await app.models.Studio.findOne({ code: 'hnxs' }).lean();
    const membersOfS = await app.models.Member.find({ studioIds: studioS!._id }).sort({ _id: 1 }).lean();
    const memberOfOther = await app.models.Member.findOne({ studioIds: studioOther!._id }).lean();
    const [residentA, residentB, memberS, memberOther, deleted] = await Promise.all([
      signInResident(app, 'matrix-resident-a'),
      signInResident(app, 'matrix-resident-b'),
      signInMember(app, admin, String(membersOfS[0]!._id), 'matrix-member-s'),
      signInMember(app, admin, String(memberOfOther!._id), 'matrix-member-other'),
      signInResident(app, 'matrix-deleted'),
    ]);
    await app.models.User.deleteOne({ _id: deleted.userId });

    const adminId = (await app.models.AdminAccount.findOne({ username: 'admin' }).lean())!._id.toHexString();
    const past = Math.floor(Date.now() / 1000) - 7200;
    Object.assign(headers, {
      anonymous: {},
      forged: bearer(signJwt({ sub: adminId, role: 'admin' }, 'not-the-server-secret-but-long-enough-0123456789')),
      expired: bearer(
        signJwt({ sub: residentA.userId, role: 'resident', iat: past, exp: past + 3600 }, stack.config.jwtSecret),
      ),
      unsigned: bearer(unsignedJwt({ sub: adminId, role: 'admin' })),
      deleted: deleted.headers,
      residentA: residentA.headers,
      residentB: residentB.headers,
      memberS: memberS.headers,
      memberOther: memberOther.headers,
      admin: admin.headers,
    } satisfies Record<CallerName, Record<string, string>>);

    const call = async (caller: Caller, options: InjectOptions, status: number) => {
      const res = await app.inject({ ...options, headers: { ...(options.headers ?? {}), ...caller.headers } });
      if (res.statusCode !== status)
        throw new Error(`${String(options.method)} ${String(options.url)} → ${res.statusCode}: ${res.body}`);
      return res.json();
    };
    const submit = async (images: string[] = []): Promise<string> =>
      (
        await call(
          residentA,
          {
            method: 'POST',
            url: '/api/v1/tickets',
            headers: { 'idempotency-key': idempotencyKey() },
            payload: {
              studioId: String(studioS!._id),
              category: 'help',
              content: '楼道灯坏了，晚上上下楼很不方便。',
              images,
            },
          },
          201,
        )
      ).id;
    const freshTicket = async (state: TicketState): Promise<string> => {
      const id = await submit();
      if (state === 'assigned') return id;
      if (state === 'waiting') {
        await call(
          memberS,
          { method: 'POST', url: `/api/v1/tickets/${id}/info-request`, payload: { question: '请补充具体位置。' } },
          200,
        );
        return id;
      }
      await call(
        memberS,
        { method: 'POST', url: `/api/v1/tickets/${id}/replies`, payload: { content: '已联系物业处理。' } },
        201,
      );
      if (state === 'answered') return id;
      await call(memberS, { method: 'POST', url: `/api/v1/tickets/${id}/resolve`, payload: {} }, 200);
      return id;
    };
    const uploadA = async () => {
      const body = imageUpload();
      return (await call(
        residentA,
        { method: 'POST', url: '/api/v1/uploads', payload: body.payload, headers: body.headers },
        201,
      )) as { id: string; url: string };
    };

    const [loose, attached] = await Promise.all([uploadA(), uploadA()]);
    const scratchStudio = await call(
      admin,
      {
        method: 'POST',
        url: '/api/v1/admin/studios',
        payload: { name: '矩阵演练工作室', kind: 'town', town: '演练镇' },
      },
      201,
    );
    const scratchMember = await call(
      admin,
      {
        method: 'POST',
        url: '/api/v1/admin/members',
        payload: { name: '演练委员', title: '委员', studioIds: [scratchStudio.id] },
      },
      201,
    );
    const [assigned, answered, resolved] = await Promise.all([
      submit([attached.id]),
      freshTicket('answered'),
      freshTicket('resolved'),
    ]);
    await imageChecksSettled(stack);
    const proposal = await freshTicket('answered');
    await call(
      memberS,
      { method: 'POST', url: `/api/v1/tickets/${proposal}/resolve`, payload: { outcome: 'proposal' } },
      200,
    );
    const outcomeRecord = String((await app.models.Outcome.findOne({ ticketId: proposal }).lean())!._id);
    const project = (
      await call(
        admin,
        {
          method: 'POST',
          url: '/api/v1/admin/projects',
          payload: { memberId: memberS.memberId, year: 2026, title: '矩阵履职项目' },
        },
        201,
      )
    ).id as string;
    let overrides = 0;
    const freshCannedReply = async () =>
      (
        await call(
          admin,
          {
            method: 'POST',
            url: '/api/v1/canned-replies',
            payload: { studioId: String(studioS!._id), title: '矩阵', text: '矩阵测试' },
          },
          201,
        )
      ).id as string;
    const cannedReply = await freshCannedReply();

    world = {
      studioS: String(studioS!._id),
      studioOther: String(studioOther!._id),
      scratchStudio: scratchStudio.id,
      scratchMember: scratchMember.id,
      colleague: String(membersOfS[1]!._id),
      memberIds: { memberS: memberS.memberId, memberOther: memberOther.memberId },
      ticket: { assigned, answered, resolved, waiting: await freshTicket('waiting') },
      upload: { loose: loose.id, attached: attached.id, signedUrl: loose.url },
      freshTicket,
      outcomeRecord,
      project,
      freshInvite: async (memberId) =>
        (await call(admin, { method: 'POST', url: `/api/v1/admin/members/${memberId}/invites` }, 201)).inviteCode,
      freshInviteId: async (memberId) =>
        (await call(admin, { method: 'POST', url: `/api/v1/admin/members/${memberId}/invites` }, 201)).id,
      cannedReply,
      freshCannedReply,
      freshCalendarOverride: async () => {
        overrides += 1;
        const date = `2098-01-${String(overrides).padStart(2, '0')}`;
        await call(
          admin,
          { method: 'PUT', url: `/api/v1/admin/calendar/days/${date}`, payload: { workday: false, name: '放假' } },
          200,
        );
        return date;
      },
      listOf: (res) => (res.json() as { items: { id: string }[] }).items.map((t) => t.id),
      secondSession: (who) => {
        const token = headers[who].authorization?.replace(/^Bearer /, '');
        const payload = token
          ? stack.app.jwt.decode<{ sub: string; role: 'resident' | 'member' | 'admin'; jti?: string }>(token)
          : null;
        // Only callers with a genuine, current session get a second one; the others keep their bad headers.
        const genuine = payload?.jti && ['residentA', 'residentB', 'memberS', 'memberOther', 'admin'].includes(who);
        const second: Record<string, string> = genuine
          ? { authorization: `Bearer ${stack.app.signToken({ sub: payload.sub, role: payload.role })}` }
          : {};
        return second;
      },
    };
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('has rows for exactly the routes the app serves', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = (res.json() as { paths: Record<string, Record<string, unknown>> }).paths;
    const served = Object.entries(paths)
      .filter(([p]) => !p.startsWith('/docs'))
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`));
    const tabled = new Set(ROWS.map((r) => r.route));
    expect({ missingFromMatrix: served.filter((r) => !tabled.has(r)).sort() }).toEqual({ missingFromMatrix: [] });
    expect({ noLongerServed: [...tabled].filter((r) => !served.includes(r)).sort() }).toEqual({ noLongerServed: [] });
    // Every row names every caller: no silent gaps.
    for (const row of ROWS)
      expect({ route: row.route, callers: Object.keys(row.expect).sort() }).toEqual({
        route: row.route,
        callers: [...CALLERS].sort(),
      });
  });

  it('answers every route for every caller with the expected status and error code', async () => {
    const cases = ROWS.flatMap((row) => CALLERS.map((who) => ({ row, who, status: row.expect[who] })));
    const problems: string[] = [];

    const run = async ({ row, who, status }: (typeof cases)[number]) => {
      const label = `${row.route}${row.variant ? ` [${row.variant}]` : ''} as ${who}`;
      const options = await row.request(world, who, status < 300);
      // A row may carry its own authorization (a second session): it wins over the caller's.
      const res = await stack.app.inject({ ...options, headers: { ...headers[who], ...(options.headers ?? {}) } });
      if (res.statusCode !== status) {
        problems.push(`${label}: expected ${status}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
        return;
      }
      if (status >= 400) {
        const body = res.json() as { code?: unknown; message?: unknown; statusCode?: unknown };
        const defaultCode =
          status === 401
            ? who === 'expired'
              ? 'TOKEN_EXPIRED'
              : 'UNAUTHORIZED'
            : status === 403
              ? 'FORBIDDEN'
              : undefined;
        const code = row.codes?.[status] ?? defaultCode;
        if (typeof body.code !== 'string' || (code && body.code !== code))
          problems.push(`${label}: code ${String(body.code)}, expected ${code ?? 'a code'}`);
        if (typeof body.message !== 'string' || !CJK.test(body.message))
          problems.push(`${label}: message not Chinese: ${String(body.message)}`);
        if (body.statusCode !== status) problems.push(`${label}: body statusCode ${String(body.statusCode)}`);
      } else if (row.check) {
        const problem = row.check(res, who, world);
        if (problem) problems.push(`${label}: ${problem}`);
      }
    };

    for (let i = 0; i < cases.length; i += BATCH) await Promise.all(cases.slice(i, i + BATCH).map(run));
    console.log(
      `authorization matrix: ${cases.length} cases (${ROWS.length} rows × ${CALLERS.length} callers, ${new Set(ROWS.map((r) => r.route)).size} routes)`,
    );
    expect(problems).toEqual([]);
  });
});
