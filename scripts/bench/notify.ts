/**
 * `npm run bench:notify [-- --rate 50 --seconds 10]`: how long from a resident's submit until the member's
 * WeChat subscribe message arrives, at a steady submit rate, on private services.
 *
 * This process holds the API (listening on a free port, called over real HTTP) and the fake WeChat
 * server; the worker (server/src/worker.ts, concurrency 8) is a process of its own, as `npm start`
 * and a deployment run it; the database (FerretDB or mongod) and Redis are child processes.
 * Latency = submit request start → the fake's `receivedAt` of the member's ticket_assigned message
 * (same clock: the fake runs in this process).
 * Baselines measured in the same run: a bare BullMQ add → no-op worker round trip on the same Redis,
 * and a raw subscribe-message send to the fake via fetch.
 * Results: printed, and written to bench-results/notify-<timestamp>.json (git-ignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app';
import { BENCH_ADMIN_PASSWORD, BENCH_APPID, BENCH_SECRET, benchEnv, runBench } from './lib/app-config';
import { loadConfig } from '../../server/src/config';
import { spawnTsNode, waitForReadyMessage, type NodeChild } from '../lib/children';
import { startFakeWechat } from '../../server/src/wechat/fake/server';
import { seedDemoData } from '../../server/src/seed/seed';
import { ensureAdminAccount } from '../../server/src/modules/auth/service';
import { redisOptionsFromUrl } from '../../server/src/queues';
import { repoRoot } from '../services';
import { startBenchServices, within } from './lib/services';
import { describeMachine, formatMachine } from './lib/machine';
import { formatSummary, summarize, type Summary } from './lib/stats';
import { numericFlags } from './lib/args';

/** WeChat keeps at most this many one-time consents per template (consents.ts caps credits at 50). */
const CREDITS_PER_MEMBER = 50;
const P99_GOAL_MS = 300;

interface FakeMessage {
  touser: string;
  template_id: string;
  data: Record<string, { value: string }>;
  receivedAt: string;
}

interface Sample {
  no: string;
  ticketId: string;
  startedAt: number;
  respondedAt: number;
  status: number;
  /** For a failed submit: "<HTTP status> <error code>", or "no answer (<error>)". */
  outcome: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const flags = numericFlags(process.argv.slice(2), { rate: 50, seconds: 10, residents: 50, timeout: 30 });
  const total = Math.round(flags.rate * flags.seconds);
  const memberCount = Math.ceil(total / (CREDITS_PER_MEMBER - 5)) + 1;
  log(`[bench] notify: ${total} tickets at ${flags.rate}/s for ${flags.seconds} s, ${flags.residents} residents, ${memberCount} members`);

  const benchStart = Date.now();
  const services = await startBenchServices();
  const fake = await startFakeWechat({ appId: BENCH_APPID, appSecret: BENCH_SECRET });
  const env = benchEnv(
    { mongoUri: services.db.uri, redisUri: services.redis.uri, wechatUrl: fake.url, dataDir: services.tmpDir },
    // A town's worth of residents behind one IP, each submitting more than a resident would.
    { RATE_LIMIT_SUBMIT_PER_HOUR: '100000', RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000', RATE_LIMIT_LOGIN_PER_MINUTE: '100000' },
  );
  const config = loadConfig(env);
  let app: FastifyInstance | null = null;
  let worker: NodeChild | null = null;
  try {
    app = await buildApp(config);
    const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    worker = spawnTsNode('worker', path.join(repoRoot, 'server/src/worker.ts'), { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, path.join(services.tmpDir, 'logs'));
    await waitForReadyMessage(worker, 120_000);
    await seedDemoData(app.models);

    const api = async <T>(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> => {
      const res = await fetch(`${apiUrl}${urlPath}`, {
        signal: AbortSignal.timeout(flags.timeout * 1000),
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as T };
    };
    const ok = async <T>(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
      const res = await api<T>(method, urlPath, body, headers);
      if (res.status >= 300) throw new Error(`${method} ${urlPath} → ${res.status} ${JSON.stringify(res.json)}`);
      return res.json;
    };
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const signIn = (code: string) => ok<{ token: string; user: { id: string } }>('POST', '/api/v1/auth/wechat', { code });

    // Setup (not measured): a studio whose members are bound and consented to ticket_assigned.
    await ensureAdminAccount(app.models, BENCH_ADMIN_PASSWORD);
    const admin = auth((await ok<{ token: string }>('POST', '/api/v1/auth/password', { username: 'admin', password: BENCH_ADMIN_PASSWORD })).token);
    const studio = await ok<{ id: string }>('POST', '/api/v1/admin/studios', { name: '压测工作室', kind: 'sector', sector: '科技界' }, admin);
    const memberOpenids = new Set<string>();
    await Promise.all(
      Array.from({ length: memberCount }, async (_, i) => {
        const member = await ok<{ id: string }>('POST', '/api/v1/admin/members', { name: `压测委员${i + 1}`, title: '市政协委员', studioIds: [studio.id] }, admin);
        const { inviteCode } = await ok<{ inviteCode: string }>('POST', `/api/v1/admin/members/${member.id}/invites`, undefined, admin);
        const user = await signIn(`bench-member-${i}`);
        const bound = await ok<{ token: string }>('POST', '/api/v1/auth/bind', { inviteCode }, auth(user.token));
        for (let c = 0; c < CREDITS_PER_MEMBER; c++) await ok('POST', '/api/v1/me/subscriptions', { accepted: ['ticket_assigned'] }, auth(bound.token));
        memberOpenids.add((await (await fetch(`${fake.url}/__fake/openid?code=bench-member-${i}`)).json() as { openid: string }).openid);
      }),
    );
    const residents = await Promise.all(Array.from({ length: flags.residents }, (_, i) => signIn(`bench-resident-${i}`).then((r) => auth(r.token))));
    // Warm-up outside the measurement: JIT, connection pools, the access token.
    for (let i = 0; i < 5; i++) await ok('POST', '/api/v1/tickets', { studioId: studio.id, category: 'consult', content: `预热留言 ${i}，请忽略。` }, { ...residents[0]!, 'idempotency-key': `bench-warmup-${i}` });
    await sleep(1000);
    log(`[bench] setup done in ${((Date.now() - benchStart) / 1000).toFixed(1)} s`);
    const warmupMessages = ((await (await fetch(`${fake.url}/__fake/subscribe-messages`)).json()) as FakeMessage[]).length;

    // Measured: open-loop submits at the set rate, over HTTP.
    log(`[bench] submitting…`);
    const samples: Sample[] = [];
    const failureExamples: { index: number; outcome: string; message: string }[] = [];
    const startAll = Date.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = startAll + (i * 1000) / flags.rate;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      pending.push(
        (async () => {
          const startedAt = Date.now();
          const res = await api<{ id: string; no: string; code?: string; message?: string }>(
            'POST',
            '/api/v1/tickets',
            { studioId: studio.id, category: 'consult', content: `压测留言第 ${i + 1} 条：小区路灯不亮，晚上出行不便。` },
            { ...residents[i % residents.length]!, 'idempotency-key': `bench-ticket-${String(i).padStart(6, '0')}` },
          ).catch((error: Error) => ({ status: 0, json: { id: '', no: '', code: `no answer (${error.name})`, message: error.message } }));
          const outcome = res.status === 0 ? String(res.json.code) : `${res.status}${res.json.code ? ` ${res.json.code}` : ''}`;
          if (res.status !== 201 && failureExamples.length < 3) failureExamples.push({ index: i, outcome, message: res.json.message ?? '' });
          samples.push({ no: res.json.no, ticketId: res.json.id, startedAt, respondedAt: Date.now(), status: res.status, outcome });
        })(),
      );
    }
    await Promise.all(pending);
    const submitsDone = Math.max(...samples.map((s) => s.respondedAt));
    log(`[bench] submits answered after ${((submitsDone - startAll) / 1000).toFixed(1)} s; waiting for deliveries…`);
    const accepted = samples.filter((s) => s.status === 201);
    const submitFailures = samples.length - accepted.length;

    // Wait for the member messages of every accepted ticket.
    const wanted = new Set(accepted.map((s) => s.no));
    let received = new Map<string, FakeMessage>();
    const deadline = Date.now() + flags.timeout * 1000;
    while (Date.now() < deadline) {
      const messages = (await (await fetch(`${fake.url}/__fake/subscribe-messages`)).json()) as FakeMessage[];
      received = new Map(
        messages
          .filter((m) => m.template_id === 'tmpl-ticket_assigned' && memberOpenids.has(m.touser) && wanted.has(m.data.character_string1?.value ?? ''))
          .map((m) => [m.data.character_string1!.value, m]),
      );
      if (received.size >= wanted.size) break;
      await sleep(250);
    }
    const messagesAfter = ((await (await fetch(`${fake.url}/__fake/subscribe-messages`)).json()) as FakeMessage[]).length;

    // Where the time goes, from the notify jobs BullMQ kept (removeOnComplete keeps the last 1000).
    const endToEnd: number[] = [];
    const submitHttp: number[] = [];
    const queueWait: number[] = [];
    const jobToSend: number[] = [];
    for (const s of accepted) {
      submitHttp.push(s.respondedAt - s.startedAt);
      const message = received.get(s.no);
      if (message) endToEnd.push(Date.parse(message.receivedAt) - s.startedAt);
      const ticket = await app.models.Ticket.findById(s.ticketId, { outbox: 1 }).lean();
      const jobId = ticket?.outbox[0] ? String(ticket.outbox[0]._id) : null;
      const job = jobId ? await app.queues.notify.getJob(jobId) : null;
      if (job?.processedOn) {
        queueWait.push(job.processedOn - job.timestamp);
        if (message) jobToSend.push(Date.parse(message.receivedAt) - job.processedOn);
      }
    }
    const lastDelivery = Math.max(...[...received.values()].map((m) => Date.parse(m.receivedAt)));
    const firstDelivery = Math.min(...[...received.values()].map((m) => Date.parse(m.receivedAt)));

    // Baseline 1: a bare BullMQ job round trip (add → a no-op processor starts) on the same Redis, same rate.
    const connection = redisOptionsFromUrl(config.redisUrl, { maxRetriesPerRequest: null });
    const baselineQueue = new Queue('bench-baseline', { connection });
    const processedAt = new Map<string, number>();
    const baselineWorker = new Worker(
      'bench-baseline',
      async (job) => {
        processedAt.set(String(job.id), Date.now());
      },
      { connection, concurrency: 8 },
    );
    await baselineWorker.waitUntilReady();
    const baselineCount = Math.min(200, total);
    const addedAt = new Map<string, number>();
    const baselineStart = Date.now();
    for (let i = 0; i < baselineCount; i++) {
      const wait = baselineStart + (i * 1000) / flags.rate - Date.now();
      if (wait > 0) await sleep(wait);
      addedAt.set(`b${i}`, Date.now());
      void baselineQueue.add('noop', {}, { jobId: `b${i}`, removeOnComplete: true });
    }
    while (processedAt.size < baselineCount && Date.now() < baselineStart + 30_000) await sleep(50);
    const queueRoundTrip = [...processedAt].map(([id, at]) => at - addedAt.get(id)!);
    await baselineWorker.close();
    await baselineQueue.obliterate({ force: true }).catch(() => undefined);
    await baselineQueue.close();

    // Baseline 2: the raw WeChat call a delivery makes, straight to the fake.
    const { access_token: token } = (await (
      await fetch(`${fake.url}/cgi-bin/stable_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credential', appid: BENCH_APPID, secret: BENCH_SECRET }) })
    ).json()) as { access_token: string };
    const rawSend: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      await fetch(`${fake.url}/cgi-bin/message/subscribe/send?access_token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ touser: 'o-bench-baseline', template_id: 'tmpl-baseline', data: { character_string1: { value: `B${i}` } } }),
      });
      rawSend.push(performance.now() - t0);
    }

    const machine = describeMachine({ database: services.databaseKind, redis: services.redisVersion });
    const summaries: Record<string, Summary> = {
      endToEnd: summarize(endToEnd),
      submitHttp: summarize(submitHttp),
      queueWait: summarize(queueWait),
      jobStartToWechatReceived: summarize(jobToSend),
      baselineQueueRoundTrip: summarize(queueRoundTrip),
      baselineRawWechatSend: summarize(rawSend),
    };
    const submitSeconds = (submitsDone - startAll) / 1000;
    const deliverySeconds = (lastDelivery - firstDelivery) / 1000;
    const result = {
      benchmark: 'notify',
      at: new Date().toISOString(),
      command: `npm run bench:notify -- --rate ${flags.rate} --seconds ${flags.seconds}`,
      parameters: { ...flags, tickets: total, members: memberCount, workerConcurrency: 8 },
      machine,
      submits: { attempted: samples.length, accepted: accepted.length, failed: submitFailures, failureExamples, outcomes: countBy(samples.map((s) => s.outcome)) },
      delivered: received.size,
      undelivered: wanted.size - received.size,
      /** Messages beyond one per accepted ticket (warm-up excluded): tickets created after their submit timed out on our side, or duplicates. */
      extraMessages: messagesAfter - warmupMessages - received.size,
      throughput: {
        submitsPerSecond: round(accepted.length / submitSeconds),
        deliveredPerSecond: round(received.size / Math.max(deliverySeconds, 0.001)),
        lastDeliveryAfterLastSubmitMs: lastDelivery - submitsDone,
      },
      latencyMs: summaries,
      ratios: {
        endToEndP50OverQueueRoundTripP50: round(summaries.endToEnd!.p50 / summaries.baselineQueueRoundTrip!.p50),
        endToEndP99OverQueueRoundTripP99: round(summaries.endToEnd!.p99 / summaries.baselineQueueRoundTrip!.p99),
        endToEndP50OverRawSendP50: round(summaries.endToEnd!.p50 / summaries.baselineRawWechatSend!.p50),
      },
      goal: { p99UnderMs: P99_GOAL_MS, atRate: 50, met: flags.rate >= 50 && submitFailures === 0 && wanted.size === received.size && summaries.endToEnd!.p99 < P99_GOAL_MS },
    };

    log('');
    log('码上商 notify benchmark — submit → member WeChat message');
    log(`machine:\n${formatMachine(machine)}`);
    log(`load: ${total} tickets at ${flags.rate}/s over HTTP, ${flags.residents} residents, ${memberCount} members, 1 worker process (concurrency 8); API + fake WeChat in this process`);
    log(`submits: ${accepted.length} accepted, ${submitFailures} failed ${JSON.stringify(result.submits.outcomes)}${failureExamples.length ? ` e.g. ${JSON.stringify(failureExamples)}` : ''}; achieved ${result.throughput.submitsPerSecond}/s`);
    log(`delivered: ${received.size}/${wanted.size} member messages, ${result.throughput.deliveredPerSecond}/s (first→last delivery); last one ${result.throughput.lastDeliveryAfterLastSubmitMs} ms after the last submit; extra messages ${result.extraMessages}`);
    log('latency (ms):');
    log(formatSummary('end to end (submit start → received)', summaries.endToEnd!));
    log(formatSummary('  submit HTTP round trip', summaries.submitHttp!));
    log(formatSummary('  notify job waiting in queue', summaries.queueWait!));
    log(formatSummary('  job start → WeChat received', summaries.jobStartToWechatReceived!));
    log(formatSummary('baseline: bare BullMQ add → run', summaries.baselineQueueRoundTrip!));
    log(formatSummary('baseline: raw fake WeChat send', summaries.baselineRawWechatSend!));
    log(`ratios: end-to-end p50 / queue round trip p50 = ${result.ratios.endToEndP50OverQueueRoundTripP50}×, p99/p99 = ${result.ratios.endToEndP99OverQueueRoundTripP99}×; end-to-end p50 / raw send p50 = ${result.ratios.endToEndP50OverRawSendP50}×`);
    log(
      `goal p99 < ${P99_GOAL_MS} ms at 50/s with every submit accepted and delivered: ${result.goal.met ? 'met' : flags.rate < 50 ? 'not tested (rate below 50/s)' : 'MISSED'} (p99 ${summaries.endToEnd!.p99} ms at ${flags.rate}/s)`,
    );

    const outDir = path.join(repoRoot, 'bench-results');
    await fs.promises.mkdir(outDir, { recursive: true });
    const outFile = path.join(outDir, `notify-${result.at.replace(/[:.]/g, '-')}.json`);
    await fs.promises.writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
    log(`results: ${path.relative(process.cwd(), outFile)}`);
  } finally {
    await within(15_000, worker?.stop(12_000));
    await within(10_000, app?.close());
    await within(10_000, fake.close());
    await services.stop();
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

const round = (n: number) => Math.round(n * 100) / 100;

runBench(main);
