/**
 * `npm run bench:submit [-- --connections 10 --seconds 10 --rate 200 --residents 200 --existing 0]`: how many
 * tickets POST /api/v1/tickets takes per second, and its latency at a fixed 200 req/s, beside a
 * baseline measured in the same run: raw driver insertOne of an equivalent ticket document into the
 * same database, with the same concurrency.
 *
 * The API (buildApp, listening on a free port, no worker) and the fake WeChat server (sign-in and the
 * content check every submit makes) run in this process; the database (FerretDB, or mongod when
 * installed) and Redis are private child processes; the load generator (autocannon, or the driver
 * baseline) is another process, so it never shares the API's event loop. Residents sign in through
 * the fake WeChat code flow (/auth/wechat) beforehand; every request has its own Idempotency-Key and
 * the residents' tokens go round robin. `--existing N` first bulk-inserts N tickets of other residents
 * and another studio, to show whether a submit slows down as the collection grows.
 * Goals: max throughput ≥ 50 % of the baseline's; p99 < 50 ms at 200 req/s (printed beside the figures
 * and again at the end). Ends with the database's data and WAL file sizes.
 * Results: printed, and written to bench-results/submit-<timestamp>.json (git-ignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { buildApp } from '../../server/src/app';
import { BENCH_ADMIN_PASSWORD, BENCH_APPID, BENCH_SECRET, benchConfig, runBench } from './lib/app-config';
import { startFakeWechat } from '../../server/src/wechat/fake/server';
import { ensureAdminAccount } from '../../server/src/modules/auth/service';
import { redisCommand, repoRoot } from '../services';
import { startBenchServices, within } from './lib/services';
import { describeMachine, formatMachine, loadAverage } from './lib/machine';
import { numericFlags } from './lib/args';
import { formatLoad, runLoad, type LoadResult } from './lib/load';
import { reportDatabaseFiles } from './lib/db-files';

const THROUGHPUT_GOAL = 0.5;
const P99_GOAL_MS = 50;

/**
 * The bench sends thousands of submits per resident and from one IP: far past the production limits
 * (20 per resident per hour, 600 per IP per minute). Raised here, for this process only; an
 * environment variable of the same name overrides.
 */
const RAISED_LIMITS = {
  RATE_LIMIT_SUBMIT_PER_HOUR: '100000',
  RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000',
  RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
};

const log = (line: string) => process.stdout.write(`${line}\n`);
const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const flags = numericFlags(process.argv.slice(2), {
    connections: 10,
    seconds: 10,
    rate: 200,
    residents: 200,
    existing: 0,
  });
  const limits = Object.fromEntries(
    Object.entries(RAISED_LIMITS).map(([name, value]) => [name, process.env[name] ?? value]),
  );
  log(
    `[bench] submit: ${flags.connections} connections, ${flags.seconds} s per run, fixed rate ${flags.rate}/s, ${flags.residents} residents`,
  );
  log(
    `[bench] rate limits raised for this bench process: ${Object.entries(limits)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );

  const benchStart = Date.now();
  const services = await startBenchServices();
  const fake = await startFakeWechat({ appId: BENCH_APPID, appSecret: BENCH_SECRET });
  // Command monitoring: how many database round trips a submit makes, and their time.
  const config = benchConfig(
    {
      mongoUri: `${services.db.uri}?monitorCommands=true`,
      redisUri: services.redis.uri,
      wechatUrl: fake.url,
      dataDir: services.tmpDir,
    },
    limits,
  );
  let app: FastifyInstance | null = null;
  try {
    app = await buildApp(config);
    const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });

    const ok = async <T>(
      method: string,
      urlPath: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<T> => {
      const res = await fetch(`${apiUrl}${urlPath}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as T;
      if (res.status >= 300) throw new Error(`${method} ${urlPath} → ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });

    // Setup (not measured): one studio with three members, so every ticket is assigned on submit.
    await ensureAdminAccount(app.models, BENCH_ADMIN_PASSWORD);
    const admin = auth(
      (
        await ok<{ token: string }>('POST', '/api/v1/auth/password', {
          username: 'admin',
          password: BENCH_ADMIN_PASSWORD,
        })
      ).token,
    );
    const studio = await ok<{ id: string }>(
      'POST',
      '/api/v1/admin/studios',
      { name: '压测工作室', kind: 'sector', sector: '科技界' },
      admin,
    );
    for (let i = 0; i < 3; i++)
      await ok(
        'POST',
        '/api/v1/admin/members',
        { name: `压测委员${i + 1}`, title: '市政协委员', studioIds: [studio.id] },
        admin,
      );
    const tokens: string[] = [];
    for (let start = 0; start < flags.residents; start += 20) {
      const batch = Array.from({ length: Math.min(20, flags.residents - start) }, (_, i) =>
        ok<{ token: string }>('POST', '/api/v1/auth/wechat', { code: `bench-resident-${start + i}` }),
      );
      tokens.push(...(await Promise.all(batch)).map((r) => r.token));
    }
    if (flags.existing > 0)
      log(
        `[bench] ${flags.existing} existing tickets inserted in ${(await seedExisting(app, flags.existing)).toFixed(1)} s`,
      );
    // Warm-up outside the measurement: JIT, connection pools, the WeChat access token.
    await runLoad({
      mode: 'submit',
      url: apiUrl,
      connections: flags.connections,
      seconds: 2,
      tokens,
      studioId: studio.id,
      keyPrefix: 'warmup',
    });
    log(`[bench] setup and warm-up done in ${((Date.now() - benchStart) / 1000).toFixed(1)} s`);

    type CommandEvent = { commandName: string; duration: number; requestId: number; command?: Record<string, unknown> };
    const client = app.models.Ticket.db.getClient() as unknown as {
      on(event: 'commandStarted' | 'commandSucceeded', listener: (e: CommandEvent) => void): void;
    };
    let commandLog: Record<string, { count: number; ms: number }> | null = null;
    // Each command by name and collection ("find tickets"), so a slow one is named.
    const collectionOf = new Map<number, string>();
    client.on('commandStarted', (e) => {
      const target = e.command?.[e.commandName];
      if (commandLog && typeof target === 'string') collectionOf.set(e.requestId, target);
    });
    client.on('commandSucceeded', (e) => {
      const collection = collectionOf.get(e.requestId);
      collectionOf.delete(e.requestId);
      if (!commandLog) return;
      const entry = (commandLog[collection ? `${e.commandName} ${collection}` : e.commandName] ??= { count: 0, ms: 0 });
      entry.count++;
      entry.ms += e.duration;
    });

    const runs: Record<string, LoadResult & { loadAverage: string }> = {};
    const measure = async (name: string, load: () => Promise<LoadResult>) => {
      const before = loadAverage();
      log(`[bench] ${name}… (load average ${before})`);
      runs[name] = { ...(await load()), loadAverage: before };
    };
    const common = { connections: flags.connections, seconds: flags.seconds, studioId: studio.id };
    commandLog = {};
    const redisBefore = await redisCommandStats(services.redis.port);
    await measure('submitMax', () => runLoad({ mode: 'submit', url: apiUrl, ...common, tokens, keyPrefix: 'max' }));
    // Every accepted submit inserts exactly once; requests still in flight at the end count too.
    const perSubmit = Math.max(1, commandLog[`insert ${app.models.Ticket.collection.collectionName}`]?.count ?? 1);
    const redisAfter = await redisCommandStats(services.redis.port);
    const redisCommandsPerSubmit = Object.fromEntries(
      [...redisAfter]
        .map(
          ([name, after]) =>
            [
              name,
              {
                count: round((after.calls - (redisBefore.get(name)?.calls ?? 0)) / perSubmit),
                ms: round((after.usec - (redisBefore.get(name)?.usec ?? 0)) / 1000 / perSubmit),
              },
            ] as const,
        )
        .filter(([, c]) => c.count > 0)
        .sort(([, a], [, b]) => b.count - a.count),
    );
    const commandsPerSubmit = Object.fromEntries(
      Object.entries(commandLog as Record<string, { count: number; ms: number }>).map(([name, c]) => [
        name,
        { count: round(c.count / perSubmit), ms: round(c.ms / perSubmit) },
      ]),
    );
    commandLog = null;
    await measure('submitFixedRate', () =>
      runLoad({ mode: 'submit', url: apiUrl, ...common, overallRate: flags.rate, tokens, keyPrefix: 'rate' }),
    );
    const collection = app.models.Ticket.collection.collectionName;
    await measure('baselineInsertMax', () =>
      runLoad({ mode: 'insert', mongoUri: services.db.uri, collection, ...common, keyPrefix: 'baseline-max' }),
    );
    await measure('baselineInsertFixedRate', () =>
      runLoad({
        mode: 'insert',
        mongoUri: services.db.uri,
        collection,
        ...common,
        overallRate: flags.rate,
        keyPrefix: 'baseline-rate',
      }),
    );
    const ticketsInCollection = await app.models.Ticket.estimatedDocumentCount();

    const max = runs.submitMax!;
    const fixed = runs.submitFixedRate!;
    const baseline = runs.baselineInsertMax!;
    const ratio = Math.round((max.throughputPerSecond / baseline.throughputPerSecond) * 1000) / 1000;
    const fixedHeld = fixed.throughputPerSecond >= flags.rate * 0.95 && Object.keys(fixed.failures).length === 0;
    const machine = describeMachine({ database: services.databaseKind, redis: services.redisVersion });
    const result = {
      benchmark: 'submit',
      at: new Date().toISOString(),
      command: `npm run bench:submit -- --connections ${flags.connections} --seconds ${flags.seconds} --rate ${flags.rate} --residents ${flags.residents} --existing ${flags.existing}`,
      parameters: flags,
      rateLimits: limits,
      machine,
      runs,
      ticketsInCollectionAfter: ticketsInCollection,
      /** Database commands the API sent per request during the max-throughput run (count, summed ms as the driver saw them). */
      databaseCommandsPerSubmit: commandsPerSubmit,
      /** Commands Redis ran per submit in that run, by name (count, summed ms inside Redis); calls made inside Lua scripts count too. */
      redisCommandsPerSubmit,
      goals: {
        throughput: { wanted: `≥ ${THROUGHPUT_GOAL * 100} % of the baseline`, ratio, met: ratio >= THROUGHPUT_GOAL },
        p99AtFixedRate: {
          wanted: `p99 < ${P99_GOAL_MS} ms at ${flags.rate} req/s`,
          p99: fixed.latencyMs.p99,
          rateHeld: fixedHeld,
          met: fixedHeld && fixed.latencyMs.p99 < P99_GOAL_MS && flags.rate >= 200,
        },
      },
    };

    log('');
    log('码上商 submit benchmark — POST /api/v1/tickets vs raw driver insertOne');
    log(`machine:\n${formatMachine(machine)}`);
    log(
      `setup: 1 studio, 3 members (every ticket assigned on submit), ${flags.residents} residents signed in via /auth/wechat, ${flags.existing} tickets already stored; API + fake WeChat in one process, no worker; load generator in its own process`,
    );
    log(
      `rate limits raised through env for this bench: ${Object.entries(limits)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
    log('results (latency in ms, measured by the load generator):');
    const throughputGoal = `goal ≥ ${THROUGHPUT_GOAL * 100} % of insertOne's: ${(ratio * 100).toFixed(1)} % ${result.goals.throughput.met ? 'met' : 'MISSED'}`;
    const p99Goal = `goal p99 < ${P99_GOAL_MS} ms at 200 req/s: ${result.goals.p99AtFixedRate.met ? 'met' : flags.rate < 200 ? 'not tested (rate below 200/s)' : `MISSED${fixedHeld ? '' : ' (rate not held)'}`}`;
    log(`${formatLoad('POST /tickets, max throughput', max)}  ← ${throughputGoal}`);
    log(`${formatLoad(`POST /tickets, fixed ${flags.rate} req/s`, fixed)}  ← ${p99Goal}`);
    log(formatLoad('baseline insertOne, max throughput', baseline));
    log(formatLoad(`baseline insertOne, fixed ${flags.rate}/s`, runs.baselineInsertFixedRate!));
    log(
      `database commands per submit (max-throughput run, driver-side ms incl. queueing): ${Object.entries(
        commandsPerSubmit,
      )
        .map(([name, c]) => `${name} ×${c.count} ${c.ms} ms`)
        .join(', ')}`,
    );
    log(
      `Redis commands per submit (same run, counted by Redis incl. calls inside scripts): ${Object.entries(
        redisCommandsPerSubmit,
      )
        .map(([name, c]) => `${name} ×${c.count}`)
        .join(', ')}`,
    );
    log(
      `load average before each run: ${Object.entries(runs)
        .map(([name, r]) => `${name} ${r.loadAverage}`)
        .join('; ')}`,
    );
    log(`tickets in the collection at the end: ${ticketsInCollection}`);
    log(
      `goal throughput ≥ ${THROUGHPUT_GOAL * 100} % of baseline: ${result.goals.throughput.met ? 'met' : 'MISSED'} (${(ratio * 100).toFixed(1)} %: ${max.throughputPerSecond} vs ${baseline.throughputPerSecond} req/s)`,
    );
    log(
      `goal p99 < ${P99_GOAL_MS} ms at ${flags.rate} req/s: ${result.goals.p99AtFixedRate.met ? 'met' : flags.rate < 200 ? 'not tested (rate below 200/s)' : 'MISSED'} (p99 ${fixed.latencyMs.p99} ms; achieved ${fixed.throughputPerSecond} req/s${fixedHeld ? '' : ', rate NOT held'})`,
    );

    const files = reportDatabaseFiles(services.db.dataDir, log);

    const outDir = path.join(repoRoot, 'bench-results');
    await fs.promises.mkdir(outDir, { recursive: true });
    const outFile = path.join(outDir, `submit-${result.at.replace(/[:.]/g, '-')}.json`);
    await fs.promises.writeFile(outFile, `${JSON.stringify({ ...result, databaseFiles: files }, null, 2)}\n`);
    log(`results: ${path.relative(process.cwd(), outFile)}`);
  } finally {
    await within(10_000, app?.close());
    await within(10_000, fake.close());
    await services.stop();
  }
}

/** Redis's own count of the commands it has run, by command (INFO commandstats). */
async function redisCommandStats(port: number): Promise<Map<string, { calls: number; usec: number }>> {
  const info = await redisCommand('127.0.0.1', port, ['INFO', 'commandstats']);
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const [, name, calls, usec] of (typeof info === 'string' ? info : '').matchAll(
    /^cmdstat_(\S+?):calls=(\d+),usec=(\d+)/gm,
  )) {
    stats.set(name!, { calls: Number(calls), usec: Number(usec) });
  }
  return stats;
}

/** Bulk-inserts `count` resolved tickets of other residents and another studio (driver insertMany); returns seconds. */
async function seedExisting(app: FastifyInstance, count: number): Promise<number> {
  const started = performance.now();
  const studioId = new Types.ObjectId();
  const assignees = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
  const at = new Date(Date.now() - 30 * 24 * 3600_000);
  for (let first = 0; first < count; first += 2000) {
    const batch = Array.from({ length: Math.min(2000, count - first) }, (_, k) => {
      const i = first + k;
      const assigneeId = assignees[i % 3]!;
      const actor = { role: 'system', id: null, name: '系统' };
      return {
        no: `EXISTING-${i}`,
        studioId,
        residentId: new Types.ObjectId(),
        idempotencyKey: `existing-${i}`,
        category: (['consult', 'suggest', 'help'] as const)[i % 3],
        content: '基准测试留言：小区门口路灯不亮，晚上出行不便，希望尽快修复。',
        imageIds: [],
        status: 'resolved',
        assigneeId,
        assigneeName: '委员',
        assignedAt: at,
        dueAt: new Date(at.getTime() + 48 * 3600_000),
        answeredAt: at,
        resolvedAt: at,
        outcome: 'none',
        contentCheck: 'pass',
        version: 4,
        timeline: [
          {
            _id: new Types.ObjectId(),
            type: 'submitted',
            at,
            actor: { role: 'resident', id: new Types.ObjectId(), name: '群众' },
          },
          { _id: new Types.ObjectId(), type: 'assigned', at, actor, toMemberId: assigneeId, toMemberName: '委员' },
          {
            _id: new Types.ObjectId(),
            type: 'reply',
            at,
            actor: { role: 'member', id: assigneeId, name: '委员' },
            content: '您好，已联系相关部门，正在处理。',
          },
          {
            _id: new Types.ObjectId(),
            type: 'resolved',
            at,
            actor: { role: 'member', id: assigneeId, name: '委员' },
            outcome: 'none',
          },
        ],
        createdAt: at,
        updatedAt: at,
      };
    });
    await app.models.Ticket.collection.insertMany(batch, { ordered: false });
  }
  return (performance.now() - started) / 1000;
}

runBench(main);
