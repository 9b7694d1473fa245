import fs from 'node:fs';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { startTestServices, type TestServices } from './helpers/services';
import { TEST_ADMIN_PASSWORD, TEST_APPID, TEST_SECRET } from './helpers/app';
import { startFakeWechat } from '../src/wechat/fake/server';
import { registerModels, type Models } from '../src/models';
import type { TicketDoc } from '../src/models/tickets';
import { findFreePort } from '../../scripts/services';
import { spawnTsNode, waitForHttpOk, waitForReadyMessage, type NodeChild } from '../../scripts/lib/children';
import { idempotencyKey } from './helpers/actors';

/**
 * The fault matrix (`npm run test:faults`): the API and the worker run as their own processes, as
 * `npm start` runs them, on a private database, Redis and fake WeChat. While residents submit
 * tickets (each with its own Idempotency-Key, retried with the same key on a network error or 5xx,
 * as the mini-program does) and members reply, one fault is injected per case; once the system has
 * settled, the database and the fake WeChat's record are checked: no accepted ticket lost, none
 * twice, every timeline complete and ordered, every notice delivered or visibly failed.
 * A table of the figures is printed and written to bench-results/faults-<timestamp>.json.
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Short sweeper and retry periods, so the system settles within seconds of a fault. */
const FAST = {
  NOTIFY_SWEEP_INTERVAL_SECONDS: '1',
  NOTIFY_REQUEUE_AFTER_SECONDS: '2',
  NOTIFY_BACKOFF_MS: '100',
  NOTIFY_SEND_ATTEMPTS: '4',
  WECHAT_TIMEOUT_MS: '1500',
};
const RATE_LIMITS = {
  RATE_LIMIT_SUBMIT_PER_HOUR: '100000',
  RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000',
  RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
};
/** Residents per case and how many act at once. */
const RESIDENTS = 16;
const CONCURRENCY = 4;
/** A client keeps retrying one request this long (the mini-program's draft keeps it even longer). */
const RETRY_BUDGET_MS = 90_000;
/** A case is settled when no notice is left pending; after this long, what is pending is reported. */
const SETTLE_TIMEOUT_MS = 90_000;
const FINAL_WECHAT_STATES = new Set(['sent', 'failed', 'no_consent', 'not_applicable']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!);
      }
    }),
  );
  return results;
}

interface HttpResult {
  status: number;
  body: Record<string, unknown>;
}

interface Caller {
  token: string;
  userId: string;
}

interface Resident extends Caller {
  code: string;
  openid: string;
}

interface Member extends Caller {
  memberId: string;
  openid: string;
}

interface Submit {
  key: string;
  resident: Resident;
  attempts: number;
  /** The ticket a 2xx answered with; null when every attempt failed. */
  accepted: { id: string; no: string; assigneeId: string | null } | null;
  /** Network errors and 5xx answers this resident's submit and reply met (and retried). */
  failures: number;
  /** The reply text, when the assignee's reply got a 2xx (or was seen on the ticket after a lost answer). */
  reply: { content: string; acknowledged: boolean } | null;
}

interface Row {
  fault: string;
  requests: number;
  ok2xx: number;
  /** Requests that failed (network error or 5xx) and were retried: proof the fault hit the load. */
  failedAndRetried: number;
  gaveUp: number;
  lost: number;
  duplicates: number;
  timelineBroken: number;
  noticesExpected: number;
  noticesMissing: number;
  delivered: number;
  failed: number;
  failedUnseen: number;
  noConsent: number;
  pendingAtEnd: number;
  sentButNotReceived: number;
  wechatDuplicateSends: number;
  /** Times the API or the worker replaced its stuck database client during the case (database watchdog). */
  dbClientsReplaced: number;
  settleSeconds: number;
}

const children = new Set<NodeChild>();
process.on('exit', () => {
  for (const child of children) child.process.kill('SIGKILL');
});

describe('fault matrix: load with Redis, worker, API, database and WeChat faults', () => {
  let services: TestServices;
  let fake: Awaited<ReturnType<typeof startFakeWechat>>;
  let connection: mongoose.Connection;
  let models: Models;
  let apiPort: number;
  let apiUrl: string;
  let api: NodeChild;
  let worker: NodeChild;
  let admin: Caller;
  let spawned = 0;
  const rows: Row[] = [];
  /** Cases started and cases that passed: when one failed, the processes' logs are kept for a look. */
  let casesStarted = 0;
  let casesPassed = 0;
  const startedAt = Date.now();

  const childEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    MONGODB_URI: services.mongoUri,
    REDIS_URL: services.redisUrl,
    WECHAT_API_BASE: fake.url,
    WECHAT_APPID: TEST_APPID,
    WECHAT_SECRET: TEST_SECRET,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    DATA_DIR: services.tmpDir,
    ...FAST,
    ...RATE_LIMITS,
  });
  const logDir = () => path.join(services.tmpDir, 'logs');

  async function startApi(): Promise<NodeChild> {
    const child = spawnTsNode(`api-${++spawned}`, path.join(REPO_ROOT, 'server/src/main.ts'), childEnv(), logDir());
    children.add(child);
    child.process.once('exit', () => children.delete(child));
    // tsx compiles the server at start: slow on 2 busy cores.
    await waitForHttpOk(`${apiUrl}/readyz`, child, 150_000);
    return child;
  }

  async function startWorker(): Promise<NodeChild> {
    const child = spawnTsNode(
      `worker-${++spawned}`,
      path.join(REPO_ROOT, 'server/src/worker.ts'),
      childEnv(),
      logDir(),
    );
    children.add(child);
    child.process.once('exit', () => children.delete(child));
    await waitForReadyMessage(child, 150_000);
    return child;
  }

  async function sigkill(child: NodeChild): Promise<void> {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return;
    const exited = new Promise((resolve) => child.process.once('exit', resolve));
    child.process.kill('SIGKILL');
    await exited;
  }

  /** One HTTP call; throws on a network error (refused, reset, timed out), as wx.request fails. */
  async function call(
    method: string,
    url: string,
    options: { token?: string; body?: object; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    const res = await fetch(`${apiUrl}/api/v1${url}`, {
      method,
      headers: {
        ...(options.body ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.headers ?? {}),
      },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { raw: text.slice(0, 200) };
    }
    return { status: res.status, body };
  }

  /** Setup calls (outside any fault window) must succeed. */
  async function must(
    method: string,
    url: string,
    options: { token?: string; body?: object } = {},
  ): Promise<Record<string, unknown>> {
    const res = await call(method, url, options);
    if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  const fakeJson = async <T>(urlPath: string, init?: RequestInit): Promise<T> =>
    (await fetch(`${fake.url}${urlPath}`, init)).json() as Promise<T>;
  const openidOf = async (code: string) =>
    (await fakeJson<{ openid: string }>(`/__fake/openid?code=${encodeURIComponent(code)}`)).openid;

  async function signIn(code: string): Promise<Caller> {
    const body = await must('POST', '/auth/wechat', { body: { code } });
    return { token: body.token as string, userId: (body.user as { id: string }).id };
  }

  /** A fresh studio with two bound members, each with enough ticket_assigned consents for the case. */
  async function studioWithMembers(label: string): Promise<{ studioId: string; members: Map<string, Member> }> {
    const studio = await must('POST', '/admin/studios', {
      token: admin.token,
      body: { name: `故障矩阵${label}`, kind: 'sector', sector: '科技界' },
    });
    const members = new Map<string, Member>();
    for (const n of [1, 2]) {
      const record = await must('POST', '/admin/members', {
        token: admin.token,
        body: { name: `委员${label}${n}`, title: '市政协委员', studioIds: [studio.id] },
      });
      const invite = await must('POST', `/admin/members/${String(record.id)}/invites`, { token: admin.token });
      const code = `fm-${label}-member-${n}`;
      const user = await signIn(code);
      const bound = await must('POST', '/auth/bind', { token: user.token, body: { inviteCode: invite.inviteCode } });
      const member: Member = {
        token: bound.token as string,
        userId: user.userId,
        memberId: String(record.id),
        openid: await openidOf(code),
      };
      await mapLimit(Array.from({ length: RESIDENTS }), 4, () =>
        must('POST', '/me/subscriptions', { token: member.token, body: { accepted: ['ticket_assigned'] } }),
      );
      members.set(member.memberId, member);
    }
    return { studioId: String(studio.id), members };
  }

  async function residentsFor(label: string): Promise<Resident[]> {
    return mapLimit(
      Array.from({ length: RESIDENTS }, (_, i) => i),
      4,
      async (i) => {
        const code = `fm-${label}-resident-${i}`;
        const caller = await signIn(code);
        await must('POST', '/me/subscriptions', { token: caller.token, body: { accepted: ['ticket_replied'] } });
        return { ...caller, code, openid: await openidOf(code) };
      },
    );
  }

  const retryable = (res: HttpResult) => res.status >= 500;

  /** Shared by the simulated people of one case: once one of them meets an error, all stop. */
  interface Load {
    requests: number;
    aborted: boolean;
  }

  class UnexpectedAnswer extends Error {}

  /** The mini-program's submit: the same Idempotency-Key on every retry, until a 2xx or a 4xx. */
  async function submit(state: Submit, studioId: string, content: string, load: Load): Promise<void> {
    const deadline = Date.now() + RETRY_BUDGET_MS;
    let backoff = 100;
    while (Date.now() < deadline && !load.aborted) {
      state.attempts += 1;
      load.requests += 1;
      try {
        const res = await call('POST', '/tickets', {
          token: state.resident.token,
          body: { studioId, category: 'consult', content },
          headers: { 'idempotency-key': state.key },
        });
        if (res.status < 300) {
          const assignee = res.body.assignee as { id: string } | null;
          state.accepted = { id: res.body.id as string, no: res.body.no as string, assigneeId: assignee?.id ?? null };
          return;
        }
        if (!retryable(res)) throw new UnexpectedAnswer(`submit answered ${res.status} ${JSON.stringify(res.body)}`);
      } catch (error) {
        if (error instanceof UnexpectedAnswer) throw error;
        // a network error: the API is down or the connection was cut mid-request
      }
      state.failures += 1;
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 1000);
    }
  }

  /**
   * The member's reply, resent blindly with the same Idempotency-Key after any failure (as the
   * mini-program does): the server must add it once. A ticket held back by the content check (WeChat
   * unreachable at submit) is not visible to members (404) until the sweeper's re-check passes it;
   * the member tries again later.
   */
  async function reply(state: Submit, member: Member, content: string, load: Load): Promise<void> {
    const deadline = Date.now() + RETRY_BUDGET_MS;
    const ticketId = state.accepted!.id;
    const key = idempotencyKey();
    let backoff = 100;
    while (Date.now() < deadline && !load.aborted) {
      try {
        load.requests += 1;
        const res = await call('POST', `/tickets/${ticketId}/replies`, {
          token: member.token,
          body: { content },
          headers: { 'idempotency-key': key },
        });
        if (res.status < 300) {
          state.reply = { content, acknowledged: true };
          return;
        }
        const heldBack =
          res.status === 404 &&
          (await models.Ticket.countDocuments({ _id: new Types.ObjectId(ticketId), contentCheck: 'pending' })) === 1;
        // 409 CONFLICT is "busy, try again" (the ticket's lock is held, e.g. by a killed worker until it expires).
        const busy = res.status === 409 && res.body.code === 'CONFLICT';
        if (!retryable(res) && !busy && !heldBack)
          throw new UnexpectedAnswer(`reply answered ${res.status} ${JSON.stringify(res.body)}`);
        if (!heldBack) state.failures += 1;
      } catch (error) {
        if (error instanceof UnexpectedAnswer) throw error;
        state.failures += 1;
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 1000);
    }
  }

  /** Runs the load for one case (every resident submits once, the assignee replies) and injects `fault` once it is under way. */
  async function runCase(
    label: string,
    fault: (load: { inFlight: () => number }) => Promise<void>,
  ): Promise<{ submits: Submit[]; members: Map<string, Member>; studioId: string; requests: number }> {
    casesStarted += 1;
    const setupFrom = Date.now();
    const { studioId, members } = await studioWithMembers(label);
    const residents = await residentsFor(label);
    const loadFrom = Date.now();
    const submits: Submit[] = residents.map((resident, i) => ({
      key: `fm-${label}-${i}-${new Types.ObjectId().toHexString()}`,
      resident,
      attempts: 0,
      accepted: null,
      failures: 0,
      reply: null,
    }));
    const load: Load = { requests: 0, aborted: false };
    let inFlight = 0;
    let next = 0;

    const person = async () => {
      while (next < submits.length && !load.aborted) {
        const index = next++;
        const state = submits[index]!;
        inFlight += 1;
        try {
          await submit(
            state,
            studioId,
            `故障矩阵${label}第 ${index + 1} 条：小区门口路灯坏了，晚上很黑，请帮忙联系修理。`,
            load,
          );
          const member = state.accepted?.assigneeId ? members.get(state.accepted.assigneeId) : undefined;
          if (member) await reply(state, member, `回复${label}-${index}：已联系物业，本周内修好。`, load);
        } finally {
          inFlight -= 1;
        }
        // A person's pace: the load spans the fault instead of finishing before it.
        await sleep(100);
      }
    };
    const stopAllOnError = (work: Promise<void>) =>
      work.catch((error: unknown) => {
        load.aborted = true;
        throw error;
      });
    // Wait for every person to stop before reporting the first error, so none outlives the case.
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: CONCURRENCY }, () => stopAllOnError(person())),
      stopAllOnError(
        (async () => {
          await sleep(700);
          await fault({ inFlight: () => inFlight });
        })(),
      ),
    ]);
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    console.log(
      `[faults] ${label}: setup ${((loadFrom - setupFrom) / 1000).toFixed(1)} s, load ${((Date.now() - loadFrom) / 1000).toFixed(1)} s`,
    );
    return { submits, members, studioId, requests: load.requests };
  }

  interface NoticeFigures {
    expected: number;
    missing: number;
    delivered: number;
    failed: number;
    /** Failed notices the ticket's timeline does not show (a person could not see the failure). */
    failedUnseen: number;
    noConsent: number;
    pending: number;
    sentButNotReceived: number;
    wechatDuplicateSends: number;
  }

  /** Notices of the case's tickets: each one expected is on its ticket's outbox and has reached a final state. */
  async function noticeFigures(
    studioId: string,
    submits: Submit[],
    members: Map<string, Member>,
  ): Promise<NoticeFigures> {
    const tickets = await models.Ticket.find({ studioId: new Types.ObjectId(studioId) }).lean<TicketDoc[]>();
    const figures: NoticeFigures = {
      expected: 0,
      missing: 0,
      delivered: 0,
      failed: 0,
      failedUnseen: 0,
      noConsent: 0,
      pending: 0,
      sentButNotReceived: 0,
      wechatDuplicateSends: 0,
    };
    const replied = new Set(submits.filter((s) => s.reply).map((s) => s.accepted!.id));
    const received = new Map<string, number>();
    for (const m of await fakeJson<{ touser: string; template_id: string; data: Record<string, { value: string }> }[]>(
      '/__fake/subscribe-messages',
    )) {
      const k = `${m.touser}|${m.template_id}|${m.data.character_string1?.value ?? ''}`;
      received.set(k, (received.get(k) ?? 0) + 1);
    }
    const residentOpenids = new Map(submits.map((s) => [s.resident.userId, s.resident.openid]));
    for (const ticket of tickets) {
      const expected: { kind: string; recipientId: string }[] = [];
      if (ticket.assigneeId) expected.push({ kind: 'ticket_assigned', recipientId: String(ticket.assigneeId) });
      if (replied.has(String(ticket._id)))
        expected.push({ kind: 'ticket_replied', recipientId: String(ticket.residentId) });
      figures.expected += expected.length;
      for (const e of expected) {
        if (!ticket.outbox.some((o) => o.kind === e.kind && String(o.recipient.id) === e.recipientId))
          figures.missing += 1;
      }
      const notifications = await models.Notification.find({ _id: { $in: ticket.outbox.map((o) => o._id) } }).lean();
      for (const entry of ticket.outbox) {
        const notification = notifications.find((n) => n._id.equals(entry._id));
        const state = notification?.wechat.state;
        if (!entry.doneAt || !state || !FINAL_WECHAT_STATES.has(state)) {
          figures.pending += 1;
          continue;
        }
        if (state === 'failed') {
          figures.failed += 1;
          if (!ticket.timeline.some((e) => e.type === 'notify_failed')) figures.failedUnseen += 1;
        }
        if (state === 'no_consent') figures.noConsent += 1;
        if (state !== 'sent') continue;
        figures.delivered += 1;
        const openid =
          entry.recipient.kind === 'member'
            ? [...members.values()].find((m) => m.memberId === String(entry.recipient.id))?.openid
            : residentOpenids.get(String(entry.recipient.id));
        const copies = received.get(`${openid}|tmpl-${entry.kind}|${ticket.no}`) ?? 0;
        if (copies === 0) figures.sentButNotReceived += 1;
        figures.wechatDuplicateSends += Math.max(0, copies - 1);
      }
    }
    return figures;
  }

  /** Waits until no notice of the case is pending (worker back, queues drained, sweeper run), or gives up. */
  async function settle(
    studioId: string,
    submits: Submit[],
    members: Map<string, Member>,
  ): Promise<{ figures: NoticeFigures; seconds: number }> {
    const from = Date.now();
    let figures = await noticeFigures(studioId, submits, members);
    while (
      (figures.pending > 0 || figures.missing > 0 || (await heldBack(studioId)) > 0) &&
      Date.now() - from < SETTLE_TIMEOUT_MS
    ) {
      await sleep(500);
      figures = await noticeFigures(studioId, submits, members);
    }
    return { figures, seconds: (Date.now() - from) / 1000 };
  }

  /** Tickets whose content check waits for the sweeper's re-check (WeChat was down at submit). */
  const heldBack = (studioId: string) =>
    models.Ticket.countDocuments({ studioId: new Types.ObjectId(studioId), contentCheck: 'pending' });

  /** "database client replaced" lines in every API and worker log so far. */
  const dbClientReplacements = (): number =>
    fs
      .readdirSync(logDir())
      .filter((name) => name.endsWith('.log'))
      .reduce(
        (n, name) =>
          n +
          (fs.readFileSync(path.join(logDir(), name), 'utf8').match(/"msg":"database client replaced"/g)?.length ?? 0),
        0,
      );
  let replacementsBefore = 0;

  async function check(fault: string, run: Awaited<ReturnType<typeof runCase>>): Promise<Row> {
    const { submits, members, studioId, requests } = run;
    const { figures, seconds } = await settle(studioId, submits, members);
    const tickets = await models.Ticket.find({ studioId: new Types.ObjectId(studioId) }).lean<TicketDoc[]>();

    let lost = 0;
    const lostDetail: string[] = [];
    for (const s of submits.filter((x) => x.accepted)) {
      const matches = tickets.filter((t) => t.idempotencyKey === s.key && String(t.residentId) === s.resident.userId);
      if (matches.length === 0 || !matches.some((t) => String(t._id) === s.accepted!.id && t.no === s.accepted!.no)) {
        lost += 1;
        lostDetail.push(`${s.key} → ${s.accepted!.no}: ${matches.length} stored`);
      }
    }
    // Two tickets for one key, or for one resident (each resident submits once, with one key).
    const perKey = new Map<string, number>();
    const perResident = new Map<string, number>();
    for (const t of tickets) {
      perKey.set(
        `${String(t.residentId)}|${t.idempotencyKey}`,
        (perKey.get(`${String(t.residentId)}|${t.idempotencyKey}`) ?? 0) + 1,
      );
      perResident.set(String(t.residentId), (perResident.get(String(t.residentId)) ?? 0) + 1);
    }
    // …or one reply added twice (each member sends one reply per ticket, resent with one key).
    const replyCopies = tickets
      .map((t) => t.timeline.filter((e) => e.type === 'reply').length)
      .reduce((n, c) => n + Math.max(0, c - 1), 0);
    const duplicates =
      Math.max(
        [...perKey.values()].reduce((n, c) => n + c - 1, 0),
        [...perResident.values()].reduce((n, c) => n + c - 1, 0),
      ) + replyCopies;

    const brokenDetail: string[] = [];
    const bySubmit = new Map(submits.filter((s) => s.accepted).map((s) => [s.accepted!.id, s]));
    for (const t of tickets) {
      const problems: string[] = [];
      if (t.timeline[0]?.type !== 'submitted') problems.push(`first event ${t.timeline[0]?.type}`);
      for (let i = 1; i < t.timeline.length; i++) {
        if (new Date(t.timeline[i]!.at).getTime() < new Date(t.timeline[i - 1]!.at).getTime())
          problems.push(`event ${i} (${t.timeline[i]!.type}) before event ${i - 1}`);
      }
      const s = bySubmit.get(String(t._id));
      if (s?.reply && !t.timeline.some((e) => e.type === 'reply' && e.content === s.reply!.content))
        problems.push('acknowledged reply missing');
      if (t.assigneeId && !t.timeline.some((e) => e.type === 'assigned')) problems.push('no assigned event');
      if (problems.length) brokenDetail.push(`${t.no}: ${problems.join(', ')}`);
    }

    const row: Row = {
      fault,
      requests,
      ok2xx: submits.filter((s) => s.accepted).length + submits.filter((s) => s.reply?.acknowledged).length,
      failedAndRetried: submits.reduce((n, s) => n + s.failures, 0),
      gaveUp:
        submits.filter((s) => !s.accepted).length + submits.filter((s) => s.accepted?.assigneeId && !s.reply).length,
      lost,
      duplicates,
      timelineBroken: brokenDetail.length,
      noticesExpected: figures.expected,
      noticesMissing: figures.missing,
      delivered: figures.delivered,
      failed: figures.failed,
      failedUnseen: figures.failedUnseen,
      noConsent: figures.noConsent,
      pendingAtEnd: figures.pending,
      sentButNotReceived: figures.sentButNotReceived,
      wechatDuplicateSends: figures.wechatDuplicateSends,
      dbClientsReplaced: dbClientReplacements() - replacementsBefore,
      settleSeconds: Math.round(seconds * 10) / 10,
    };
    rows.push(row);
    replacementsBefore += row.dbClientsReplaced;
    if (lostDetail.length || brokenDetail.length)
      console.log(`[faults] ${fault}: lost ${JSON.stringify(lostDetail)}; timelines ${JSON.stringify(brokenDetail)}`);
    return row;
  }

  function expectInvariants(row: Row): void {
    expect({
      fault: row.fault,
      lost: row.lost,
      duplicates: row.duplicates,
      gaveUp: row.gaveUp,
      timelineBroken: row.timelineBroken,
      noticesMissing: row.noticesMissing,
      pendingAtEnd: row.pendingAtEnd,
      sentButNotReceived: row.sentButNotReceived,
      failedUnseen: row.failedUnseen,
    }).toEqual({
      fault: row.fault,
      lost: 0,
      duplicates: 0,
      gaveUp: 0,
      timelineBroken: 0,
      noticesMissing: 0,
      pendingAtEnd: 0,
      sentButNotReceived: 0,
      failedUnseen: 0,
    });
    // Every notice ended somewhere a person can see: sent, or failed / refused on its notice record.
    expect(row.delivered + row.failed + row.noConsent).toBe(row.noticesExpected);
    expect(row.requests).toBeGreaterThan(0);
    casesPassed += 1;
  }

  beforeAll(async () => {
    services = await startTestServices({ persistence: true });
    fake = await startFakeWechat({ appId: TEST_APPID, appSecret: TEST_SECRET });
    apiPort = await findFreePort('127.0.0.1');
    apiUrl = `http://127.0.0.1:${apiPort}`;
    connection = await mongoose.createConnection(services.mongoUri, { serverSelectionTimeoutMS: 20_000 }).asPromise();
    models = registerModels(connection);
    [api, worker] = await Promise.all([startApi(), startWorker()]);
    const body = await must('POST', '/auth/password', { body: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
    admin = { token: body.token as string, userId: (body.user as { id: string }).id };
  }, 240_000);

  afterAll(async () => {
    if (rows.length) {
      const printable = rows.map((r) => ({
        fault: r.fault,
        requests: r.requests,
        '2xx': r.ok2xx,
        'failed, retried': r.failedAndRetried,
        'gave up': r.gaveUp,
        lost: r.lost,
        duplicates: r.duplicates,
        'bad timelines': r.timelineBroken,
        'notices expected': r.noticesExpected,
        delivered: r.delivered,
        failed: r.failed,
        'no consent (43101)': r.noConsent,
        'pending at end': r.pendingAtEnd,
        'wechat dup sends': r.wechatDuplicateSends,
        'db client replaced': r.dbClientsReplaced,
        'settled in s': r.settleSeconds,
      }));
      console.table(printable);
      const dir = path.join(REPO_ROOT, 'bench-results');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `faults-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      fs.writeFileSync(
        file,
        JSON.stringify(
          {
            at: new Date().toISOString(),
            seconds: (Date.now() - startedAt) / 1000,
            residentsPerCase: RESIDENTS,
            concurrency: CONCURRENCY,
            rows,
          },
          null,
          2,
        ),
      );
      console.log(`[faults] table written to ${path.relative(REPO_ROOT, file)}`);
    }
    await Promise.all([...children].map((child) => child.stop(5_000)));
    if (casesPassed < casesStarted && services) {
      const kept = path.join(
        REPO_ROOT,
        'bench-results',
        `faults-logs-${new Date().toISOString().replace(/[:.]/g, '-')}`,
      );
      for (const [from, to] of [
        [logDir(), 'processes'],
        [path.join(services.tmpDir, 'db', 'logs'), 'database'],
        [path.join(services.tmpDir, 'redis', 'logs'), 'redis'],
      ] as const) {
        if (fs.existsSync(from)) fs.cpSync(from, path.join(kept, to), { recursive: true });
      }
      console.log(
        `[faults] a case failed: API, worker, database and Redis logs kept in ${path.relative(REPO_ROOT, kept)}`,
      );
    }
    await connection?.close().catch(() => undefined);
    await fake?.close();
    await services?.stop();
  }, 60_000);

  it('a. Redis restarted (same port and data) under load', async () => {
    const run = await runCase('redis', async () => {
      await services.redis.restart();
    });
    expectInvariants(await check('redis restart', run));
  }, 240_000);

  it('b. worker SIGKILLed under load, a new worker started', async () => {
    const run = await runCase('worker', async () => {
      await sigkill(worker);
      await sleep(500);
      worker = await startWorker();
    });
    expectInvariants(await check('worker SIGKILL', run));
  }, 240_000);

  it('c. API SIGKILLed with requests in flight, a new API on the same port', async () => {
    let inFlightAtKill = 0;
    const run = await runCase('api', async ({ inFlight }) => {
      const until = Date.now() + 10_000;
      while (inFlight() === 0 && Date.now() < until) await sleep(5);
      inFlightAtKill = inFlight();
      await sigkill(api);
      api = await startApi();
    });
    expect(inFlightAtKill).toBeGreaterThan(0);
    expectInvariants(await check('API SIGKILL', run));
  }, 240_000);

  it('d. database restarted under load', async () => {
    const run = await runCase('db', async () => {
      await services.db.restart();
    });
    expectInvariants(await check('database restart', run));
  }, 240_000);

  it('e. fake WeChat 5xx, timeouts and 43101 storms', async () => {
    const fault = (body: object) =>
      fetch(`${fake.url}/__fake/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const run = await runCase('wechat', async () => {
      const send = '/cgi-bin/message/subscribe/send';
      // Enough 5xx in a row that some notices use up every attempt and must show as failed.
      await fault({ path: send, mode: 'http500', times: 40 });
      await fault({ path: send, mode: 'timeout', times: 4 });
      await fault({ path: send, mode: 'errcode', errcode: 43101, times: 6 });
      // The content check at submit fails too: those tickets wait for the sweeper's re-check.
      await fault({ path: '/wxa/msg_sec_check', mode: 'http500', times: 3 });
      await sleep(3000);
    });
    const row = await check('WeChat 5xx/timeout/43101', run);
    await fetch(`${fake.url}/__fake/faults`, { method: 'DELETE' });
    expectInvariants(row);
  }, 240_000);
});
