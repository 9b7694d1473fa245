import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startTestStack, eventually, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import type { TicketDoc } from '../src/models/tickets';

/**
 * Notice delivery under faults, with real worker processes (`node --import tsx server/src/worker.ts`)
 * against the test stack's database, Redis and fake WeChat: several workers at once, a worker killed
 * mid-batch, Redis killed mid-batch, the access token fetched once across processes, and SIGTERM.
 */

interface FakeMessage {
  touser: string;
  template_id: string;
  data: Record<string, { value: string }>;
  receivedAt: string;
}

const FAST = {
  NOTIFY_SWEEP_INTERVAL_SECONDS: '1',
  NOTIFY_REQUEUE_AFTER_SECONDS: '2',
  NOTIFY_BACKOFF_MS: '50',
  NOTIFY_SEND_ATTEMPTS: '4',
};
/** Many residents and one member hammer the API from 127.0.0.1 in a few seconds. */
const RATE_LIMITS = { RATE_LIMIT_SUBMIT_PER_HOUR: '100000', RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000' };
/** worker.ts runs notices with concurrency 8 (startWorkers' default). */
const WORKER_CONCURRENCY = 8;
const REPO_ROOT = path.resolve(__dirname, '..', '..');

interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** Resolves once the worker logged "workers started". */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: string[];
}

const liveWorkers = new Set<WorkerProcess>();
process.on('exit', () => {
  for (const worker of liveWorkers) worker.child.kill('SIGKILL');
});

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!, index);
      }
    }),
  );
  return results;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('notice delivery under faults (worker processes)', () => {
  let stack: TestStack;
  let admin: Caller;
  let redis: Redis;

  const fake = async <T>(urlPath: string, init?: RequestInit): Promise<T> =>
    (await fetch(`${stack.wechatUrl}${urlPath}`, init)).json() as Promise<T>;
  const openidOf = async (code: string) => (await fake<{ openid: string }>(`/__fake/openid?code=${code}`)).openid;
  const allMessages = () => fake<FakeMessage[]>('/__fake/subscribe-messages');
  const stats = () => fake<{ stableTokenCalls: number; subscribeSendCalls: number }>('/__fake/stats');
  const inject = async (
    caller: Caller,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) => {
    const res = await stack.app.inject({ method, url, payload, headers: { ...caller.headers, ...headers } });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

  function spawnWorker(name: string): WorkerProcess {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      // info, not warn: the "workers started" line is how the test knows the worker is up.
      LOG_LEVEL: 'info',
      MONGODB_URI: stack.config.mongodbUri,
      REDIS_URL: stack.config.redisUrl,
      WECHAT_API_BASE: stack.config.wechat.apiBase,
      WECHAT_APPID: stack.config.wechat.appId,
      WECHAT_SECRET: stack.config.wechat.appSecret,
      WECHAT_TIMEOUT_MS: String(stack.config.wechat.timeoutMs),
      ...FAST,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/worker.ts')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        output.push(chunk);
        if (chunk.includes('"msg":"workers started"')) markReady();
      });
    }
    const worker: WorkerProcess = {
      name,
      child,
      output,
      ready: Promise.race([
        ready,
        new Promise<never>((_, reject) =>
          child.once('exit', (code) =>
            reject(new Error(`worker ${name} exited (${code}) before it was ready:\n${output.join('')}`)),
          ),
        ),
      ]),
      exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    };
    liveWorkers.add(worker);
    void worker.exited.then(() => liveWorkers.delete(worker));
    return worker;
  }

  async function startWorkerProcesses(...names: string[]): Promise<WorkerProcess[]> {
    const workers = names.map(spawnWorker);
    await Promise.all(workers.map((w) => w.ready));
    return workers;
  }

  async function stopWorker(worker: WorkerProcess): Promise<void> {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
    worker.child.kill('SIGTERM');
    const timer = setTimeout(() => worker.child.kill('SIGKILL'), 15_000);
    await worker.exited;
    clearTimeout(timer);
  }

  /** A fresh studio with one bound member who accepted `credits` ticket_assigned notices. */
  async function studioWithMember(
    label: string,
    credits: number,
  ): Promise<{ studioId: string; member: Caller; memberOpenid: string }> {
    const studio = await inject(admin, 'POST', '/api/v1/admin/studios', {
      name: `故障测试${label}`,
      kind: 'sector',
      sector: '科技界',
    });
    const record = await inject(admin, 'POST', '/api/v1/admin/members', {
      name: `委员${label}`,
      title: '市政协委员',
      studioIds: [studio.id],
    });
    const member = await signInMember(stack.app, admin, record.id, `faults-member-${label}`);
    for (let i = 0; i < credits; i++)
      await inject(member, 'POST', '/api/v1/me/subscriptions', { accepted: ['ticket_assigned'] });
    return { studioId: studio.id, member, memberOpenid: await openidOf(`faults-member-${label}`) };
  }

  interface Submitted {
    id: string;
    no: string;
    resident: Caller;
    residentOpenid: string;
  }

  /** `count` tickets, each by its own resident who accepted `residentCredits` ticket_replied notices. */
  async function submitTickets(
    label: string,
    studioId: string,
    count: number,
    residentCredits: number,
  ): Promise<Submitted[]> {
    return mapLimit(
      Array.from({ length: count }, (_, i) => i),
      4,
      async (i) => {
        const code = `faults-resident-${label}-${i}`;
        const resident = await signInResident(stack.app, code);
        for (let c = 0; c < residentCredits; c++)
          await inject(resident, 'POST', '/api/v1/me/subscriptions', { accepted: ['ticket_replied'] });
        const ticket = await inject(
          resident,
          'POST',
          '/api/v1/tickets',
          { studioId, category: 'consult', content: `第 ${i + 1} 条：小区门口路灯坏了，晚上很黑。` },
          { 'idempotency-key': idempotencyKey() },
        );
        return { id: ticket.id as string, no: ticket.no as string, resident, residentOpenid: await openidOf(code) };
      },
    );
  }

  const replyToAll = (member: Caller, tickets: Submitted[]) =>
    mapLimit(tickets, 4, (t) =>
      inject(member, 'POST', `/api/v1/tickets/${t.id}/replies`, { content: '您好，已联系物业，本周内修好。' }),
    );

  /** What the fake WeChat received for these tickets, against what should have been sent once each. */
  async function deliveryCounts(expected: { touser: string; template: string; no: string }[]) {
    const nos = new Set(expected.map((e) => e.no));
    const key = (touser: string, template: string, no: string) => `${touser}|${template}|${no}`;
    const received = new Map<string, string[]>(expected.map((e) => [key(e.touser, e.template, e.no), []]));
    let unexpected = 0;
    for (const m of await allMessages()) {
      const no = m.data.character_string1?.value ?? '';
      if (!nos.has(no)) continue;
      const times = received.get(key(m.touser, m.template_id, no));
      if (times) times.push(m.receivedAt);
      else unexpected += 1;
    }
    const values = [...received.values()];
    return {
      received: values.reduce((sum, times) => sum + times.length, 0),
      missing: values.filter((times) => times.length === 0).length,
      duplicates: values.reduce((sum, times) => sum + Math.max(0, times.length - 1), 0),
      unexpected,
    };
  }

  /** When the copies of each notice sent more than once arrived (for the log). */
  async function duplicateTimes(tickets: Submitted[]): Promise<string[][]> {
    const nos = new Set(tickets.map((t) => t.no));
    const byKey = new Map<string, string[]>();
    for (const m of await allMessages()) {
      const no = m.data.character_string1?.value ?? '';
      if (!nos.has(no)) continue;
      const k = `${m.touser}|${m.template_id}|${no}`;
      byKey.set(k, [...(byKey.get(k) ?? []), m.receivedAt.slice(11, 23)]);
    }
    return [...byKey.values()].filter((times) => times.length > 1);
  }

  /** Notify jobs of these tickets that BullMQ has as active (for a dead worker: the jobs it held). */
  async function activeJobsOf(tickets: Submitted[]): Promise<number> {
    const ids = new Set(tickets.map((t) => t.id));
    return (await stack.app.queues.notify.getActive()).filter((job) => ids.has(job.data.ticketId)).length;
  }

  const expectedMessages = (tickets: Submitted[], memberOpenid: string, replied: boolean) =>
    tickets.flatMap((t) => [
      { touser: memberOpenid, template: 'tmpl-ticket_assigned', no: t.no },
      ...(replied ? [{ touser: t.residentOpenid, template: 'tmpl-ticket_replied', no: t.no }] : []),
    ]);

  /** Every notice of these tickets reached a final state and every outbox entry is done. */
  async function allSettled(tickets: Submitted[], noticesPerTicket: number): Promise<boolean> {
    const ids = tickets.map((t) => t.id);
    const settled = await stack.app.models.Notification.countDocuments({
      ticketId: { $in: ids },
      'wechat.state': { $ne: 'pending' },
    });
    if (settled < ids.length * noticesPerTicket) return false;
    const docs = await stack.app.models.Ticket.find({ _id: { $in: ids } }, { outbox: 1 }).lean<
      Pick<TicketDoc, 'outbox'>[]
    >();
    return docs.every((d) => d.outbox.length === noticesPerTicket && d.outbox.every((e) => e.doneAt));
  }

  async function expectAllSent(tickets: Submitted[], noticesPerTicket: number): Promise<void> {
    const notices = await stack.app.models.Notification.find(
      { ticketId: { $in: tickets.map((t) => t.id) } },
      { wechat: 1 },
    ).lean();
    expect(notices).toHaveLength(tickets.length * noticesPerTicket);
    expect(notices.filter((n) => n.wechat.state !== 'sent').map((n) => n.wechat)).toEqual([]);
  }

  async function waitForDeliveries(count: number, since: number, timeoutMs = 20_000): Promise<void> {
    await eventually(async () => (await stats()).subscribeSendCalls - since >= count, timeoutMs, 10);
  }

  beforeAll(async () => {
    stack = await startTestStack({ ...FAST, ...RATE_LIMITS });
    admin = await signInAdmin(stack.app);
    redis = new Redis(stack.config.redisUrl, { maxRetriesPerRequest: null, retryStrategy: () => 200 });
    redis.on('error', () => undefined);
  });
  afterAll(async () => {
    await Promise.all([...liveWorkers].map(stopWorker));
    redis?.disconnect();
    await stack?.close();
  });
  afterEach(async () => {
    await Promise.all([...liveWorkers].map(stopWorker));
  });

  it('delivers every notice exactly once with two worker processes taking jobs at once', async () => {
    const { studioId, member, memberOpenid } = await studioWithMember('a', 30);
    const workers = await startWorkerProcesses('a1', 'a2');
    expect(await stack.app.queues.notify.getWorkersCount()).toBeGreaterThanOrEqual(2);

    const tickets = await submitTickets('a', studioId, 30, 1);
    await replyToAll(member, tickets);
    await eventually(() => allSettled(tickets, 2), 30_000);

    await expectAllSent(tickets, 2);
    const counts = await deliveryCounts(expectedMessages(tickets, memberOpenid, true));
    expect(counts).toEqual({ received: 60, missing: 0, duplicates: 0, unexpected: 0 });
    for (const w of workers) expect(w.child.exitCode).toBeNull();
  }, 60_000);

  it('finishes a batch after its worker is SIGKILLed mid-way, sending at most the in-flight notices twice', async () => {
    // Surplus consents (30 for 20 notices, 2 per resident for 1) so a consent spent by the killed
    // worker without being recorded shows up as a count below, not as a notice without consent.
    const { studioId, member, memberOpenid } = await studioWithMember('b', 30);
    const tickets = await submitTickets('b', studioId, 20, 2);
    await replyToAll(member, tickets);
    const sendsBefore = (await stats()).subscribeSendCalls;

    const [first] = await startWorkerProcesses('b1');
    await waitForDeliveries(5, sendsBefore, 20_000);
    first!.child.kill('SIGKILL');
    await first!.exited;
    const killedAt = Date.now();
    // The jobs the dead worker held: still in BullMQ's active list, since nothing can move them now.
    const inFlight = await activeJobsOf(tickets);
    const sentAtKill = (await stats()).subscribeSendCalls - sendsBefore;

    await startWorkerProcesses('b2');
    await eventually(() => allSettled(tickets, 2), 75_000, 250);
    const recoveredInMs = Date.now() - killedAt;

    await expectAllSent(tickets, 2);
    const counts = await deliveryCounts(expectedMessages(tickets, memberOpenid, true));
    const credits = await stack.app.models.ConsentCredit.find({
      userId: { $in: [member.userId, ...tickets.map((t) => t.resident.userId)] },
    }).lean();
    const creditsSpent = 30 + 2 * tickets.length - credits.reduce((sum, c) => sum + c.credits, 0);
    console.log(
      `[faults] SIGKILL mid-batch (duplicated notices received at ${JSON.stringify(await duplicateTimes(tickets))}): 40 notices, ${sentAtKill} sent before the kill, ${inFlight} jobs in flight at the kill; ` +
        `afterwards duplicates=${counts.duplicates}, missing=${counts.missing}, consent credits spent=${creditsSpent} for 40 notices; ` +
        `all delivered ${(recoveredInMs / 1000).toFixed(1)} s after the kill`,
    );
    expect(counts.missing).toBe(0);
    expect(counts.unexpected).toBe(0);
    expect(inFlight).toBeLessThanOrEqual(WORKER_CONCURRENCY);
    expect(counts.duplicates).toBeLessThanOrEqual(inFlight);
  }, 100_000);

  it('delivers everything once Redis is killed and restarted (empty) while a worker is sending', async () => {
    const { studioId, member, memberOpenid } = await studioWithMember('c', 30);
    const tickets = await submitTickets('c', studioId, 15, 2);
    await replyToAll(member, tickets);
    const sendsBefore = (await stats()).subscribeSendCalls;

    const [worker] = await startWorkerProcesses('c1');
    await waitForDeliveries(4, sendsBefore, 20_000);
    const inFlight = await activeJobsOf(tickets);
    const killedAt = new Date().toISOString().slice(11, 23);
    await stack.services.redis.kill();
    const sentAtKill = (await stats()).subscribeSendCalls - sendsBefore;
    await sleep(1000);
    await stack.services.redis.restart();
    const restartedAt = new Date().toISOString().slice(11, 23);

    await eventually(() => allSettled(tickets, 2), 45_000, 250);
    await expectAllSent(tickets, 2);
    const counts = await deliveryCounts(expectedMessages(tickets, memberOpenid, true));
    console.log(
      `[faults] Redis SIGKILLed mid-batch (restarted empty): 30 notices, ${sentAtKill} sent before, ${inFlight} jobs in flight; ` +
        `afterwards duplicates=${counts.duplicates}, missing=${counts.missing}; Redis killed ${killedAt}, back ${restartedAt}, ` +
        `copies of duplicated notices received at ${JSON.stringify(await duplicateTimes(tickets))}`,
    );
    expect(counts.missing).toBe(0);
    expect(counts.unexpected).toBe(0);
    // The documented window: a send WeChat accepted whose "sent" was not yet written — only in-flight jobs.
    expect(counts.duplicates).toBeLessThanOrEqual(inFlight);
    expect(worker!.child.exitCode).toBeNull();
  }, 70_000);

  it('fetches the access token once when two workers and the API all need it at the same moment', async () => {
    const { studioId, memberOpenid } = await studioWithMember('d', 20);
    // Work waits in a paused queue so both workers start taking it at the same instant.
    await stack.app.queues.notify.pause();
    let waiting: Submitted[];
    try {
      waiting = await submitTickets('d', studioId, 8, 0);
      await startWorkerProcesses('d1', 'd2');
    } catch (error) {
      await stack.app.queues.notify.resume();
      throw error;
    }
    await redis.del('wechat:access_token', 'wechat:access_token:lock');
    const before = (await stats()).stableTokenCalls;

    const residents = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signInResident(stack.app, `faults-resident-d-late-${i}`)),
    );
    await stack.app.queues.notify.resume();
    // ...and at that moment eight submits each ask WeChat's content check in the API.
    const late = await Promise.all(
      residents.map(async (resident, i) => {
        const ticket = await inject(
          resident,
          'POST',
          '/api/v1/tickets',
          { studioId, category: 'suggest', content: `同时提交的第 ${i + 1} 条建议，请委员关注。` },
          { 'idempotency-key': idempotencyKey() },
        );
        return { id: ticket.id as string, no: ticket.no as string, resident, residentOpenid: '' };
      }),
    );
    const tickets = [...waiting, ...late];
    await eventually(() => allSettled(tickets, 1), 30_000);

    expect((await stats()).stableTokenCalls - before).toBe(1);
    await expectAllSent(tickets, 1);
    expect(await deliveryCounts(expectedMessages(tickets, memberOpenid, false))).toMatchObject({
      missing: 0,
      duplicates: 0,
    });
  }, 60_000);

  it('exits 0 on SIGTERM within 10 s, and the next worker finishes the work without losing any', async () => {
    const { studioId, member, memberOpenid } = await studioWithMember('e', 20);
    const tickets = await submitTickets('e', studioId, 10, 1);
    await replyToAll(member, tickets);
    const sendsBefore = (await stats()).subscribeSendCalls;

    const [first] = await startWorkerProcesses('e1');
    await waitForDeliveries(3, sendsBefore, 20_000);
    const termAt = Date.now();
    first!.child.kill('SIGTERM');
    const exit = await first!.exited;
    const tookMs = Date.now() - termAt;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(10_000);

    await startWorkerProcesses('e2');
    await eventually(() => allSettled(tickets, 2), 30_000);
    await expectAllSent(tickets, 2);
    const counts = await deliveryCounts(expectedMessages(tickets, memberOpenid, true));
    console.log(
      `[faults] SIGTERM mid-batch: worker exited in ${tookMs} ms; duplicates=${counts.duplicates}, missing=${counts.missing}`,
    );
    expect(counts).toEqual({ received: 20, missing: 0, duplicates: 0, unexpected: 0 });
  }, 60_000);
});
