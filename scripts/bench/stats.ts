/**
 * `npm run bench:stats [-- --tickets 100000 --studios 50 --runs 200 --baseline-runs 3]`: how fast the
 * admin dashboard's statistics answer on a large data set, on the embedded database (FerretDB, or
 * mongod when installed) and Redis, both private child processes.
 *
 * 1. Inserts the tickets (insertMany in batches of 2000) across the studios over the past 365 days,
 *    with every status, ratings, outcomes and answer times.
 * 2. Builds the statistics rollup with the reconcile the worker runs (a full scan), timed.
 * 3. Measures `GET /api/v1/admin/stats` (app.inject, admin token): the dashboard's default call
 *    (last 30 days, per studio), a whole year per studio, and a year per town; p50/p95/p99.
 * 4. Baseline in the same run: a plain find over the same 30 days on an index of createdAt,
 *    counting the documents (countDocuments) — what computing from the tickets would start with.
 * Prints the machine and, at the end, the database's data and WAL file sizes, and writes everything to bench-results/stats-<timestamp>.json (git-ignored).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { TICKET_CATEGORIES, TICKET_OUTCOMES, TICKET_STATUSES } from '@mashangshang/shared';
import { buildApp } from '../../server/src/app';
import { BENCH_ADMIN_PASSWORD, benchConfig, runBench } from './lib/app-config';
import { ensureAdminAccount } from '../../server/src/modules/auth/service';
import { applyTicketStats, chinaDay, reconcileStats } from '../../server/src/modules/stats/rollup';
import { repoRoot, resolveDatabaseBinary, startDatabase, startRedis } from '../services';
import { prng } from '../lib/prng';
import { reportDatabaseFiles } from './lib/db-files';

const P99_GOAL_MS = 300;
const DAY = 86_400_000;

const log = (line: string) => process.stdout.write(`${line}\n`);

function flags(argv: string[]): Record<'tickets' | 'studios' | 'runs' | 'baselineRuns', number> {
  const values = { tickets: 100_000, studios: 50, runs: 200, baselineRuns: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]
      ?.replace(/^--/, '')
      .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof values;
    const value = Number(argv[i + 1]);
    if (!(name in values) || !Number.isFinite(value) || value <= 0)
      throw new Error(`usage: --tickets N --studios N --runs N --baseline-runs N (got ${argv[i]} ${argv[i + 1]})`);
    values[name] = value;
  }
  return values;
}

function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] ?? NaN;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    min: round(sorted[0] ?? NaN),
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

function machine() {
  const cpus = os.cpus();
  const db = resolveDatabaseBinary();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    database: db ? `${db.kind} (${db.path})` : 'unknown',
  };
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

async function main() {
  const options = flags(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mss-bench-stats-'));
  const [db, redis] = await Promise.all([
    startDatabase({ dataDir: path.join(tmp, 'db'), dbName: 'bench' }),
    startRedis({ dataDir: path.join(tmp, 'redis'), persistence: false }),
  ]);
  // Statistics never call WeChat; a closed port makes sure nothing does.
  const config = benchConfig(
    { mongoUri: db.uri, redisUri: redis.uri, wechatUrl: 'http://127.0.0.1:9', dataDir: tmp, logLevel: 'silent' },
    { RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000' },
  );
  const app = await buildApp(config);
  await app.ready();
  try {
    const { models } = app;
    const machineInfo = machine();
    log(`Statistics benchmark: ${options.tickets} tickets, ${options.studios} studios`);
    for (const [key, value] of Object.entries(machineInfo)) log(`  ${key.padEnd(16)} ${value}`);

    const towns = [
      '硖石街道',
      '海洲街道',
      '海昌街道',
      '马桥街道',
      '许村镇',
      '长安镇',
      '周王庙镇',
      '盐官镇',
      '斜桥镇',
      '丁桥镇',
      '袁花镇',
      '黄湾镇',
    ];
    const studios = Array.from({ length: options.studios }, (_, i) => ({
      _id: new Types.ObjectId(),
      code: `bench${String(i).padStart(3, '0')}`,
      name: `基准测试工作室${i + 1}`,
      kind: i < towns.length ? 'town' : 'sector',
      town: i < towns.length ? towns[i] : null,
      sector: i < towns.length ? null : `界别${i % 18}`,
      jointGroup: i < towns.length ? null : `第${(i % 6) + 1}联组`,
      sortOrder: i,
      active: true,
    }));
    await models.Studio.insertMany(studios);

    const random = prng(42);
    const now = Date.now();
    const [insertMs] = await timed(async () => {
      for (let start = 0; start < options.tickets; start += 2000) {
        const batch = [];
        for (let i = start; i < Math.min(options.tickets, start + 2000); i++) {
          const createdAt = new Date(now - Math.floor(random() * 365 * DAY));
          const status = TICKET_STATUSES[Math.floor(random() * TICKET_STATUSES.length)]!;
          const answered = status === 'answered' || status === 'resolved';
          const answeredAt = answered ? new Date(createdAt.getTime() + Math.floor(random() * 48 * 3600_000)) : null;
          batch.push({
            no: `BENCH-${i}`,
            studioId: studios[i % studios.length]!._id,
            residentId: new Types.ObjectId(),
            idempotencyKey: `bench-${i}`,
            category: TICKET_CATEGORIES[i % 3],
            content: '基准测试留言：小区门口路灯不亮，晚上出行不便，希望尽快修复。',
            imageIds: [],
            status,
            dueAt: new Date(createdAt.getTime() + 24 * 3600_000),
            answeredAt,
            resolvedAt: status === 'resolved' ? answeredAt : null,
            outcome: status === 'resolved' ? TICKET_OUTCOMES[Math.floor(random() * TICKET_OUTCOMES.length)] : null,
            rating:
              answered && random() < 0.6 ? { score: 1 + Math.floor(random() * 5), comment: '', at: answeredAt } : null,
            contentCheck: 'pass',
            version: 3,
            timeline: [
              {
                _id: new Types.ObjectId(),
                type: 'submitted',
                at: createdAt,
                actor: { role: 'resident', id: null, name: '群众' },
              },
            ],
            outbox: [],
            createdAt,
            updatedAt: createdAt,
          });
        }
        await models.Ticket.insertMany(batch, { lean: true });
      }
    });
    log(`  inserted ${options.tickets} tickets in ${(insertMs / 1000).toFixed(1)} s`);

    const [reconcileMs, reconciled] = await timed(() => reconcileStats(models, app.redis));
    log(`  rollup built (full reconcile) in ${(reconcileMs / 1000).toFixed(1)} s (${reconciled.tickets} tickets)`);

    await ensureAdminAccount(models, BENCH_ADMIN_PASSWORD);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { username: 'admin', password: BENCH_ADMIN_PASSWORD },
    });
    const headers = { authorization: `Bearer ${login.json().token as string}` };
    const today = chinaDay(now);
    const yearAgo = chinaDay(now - 364 * DAY);
    const monthAgo = chinaDay(now - 29 * DAY);
    const scenarios = [
      { name: 'dashboard: last 30 days per studio', url: '/api/v1/admin/stats', runs: options.runs },
      {
        name: 'a year per studio',
        url: `/api/v1/admin/stats?from=${yearAgo}&to=${today}&groupBy=studio`,
        runs: Math.ceil(options.runs / 2),
      },
      {
        name: 'a year per town',
        url: `/api/v1/admin/stats?from=${yearAgo}&to=${today}&groupBy=town`,
        runs: Math.ceil(options.runs / 2),
      },
    ];
    const results: Record<string, ReturnType<typeof summarize>> = {};
    for (const scenario of scenarios) {
      const check = await app.inject({ method: 'GET', url: scenario.url, headers });
      if (check.statusCode !== 200) throw new Error(`${scenario.url} → ${check.statusCode} ${check.body}`);
      const samples: number[] = [];
      for (let i = 0; i < scenario.runs; i++) {
        const [ms, res] = await timed(() => app.inject({ method: 'GET', url: scenario.url, headers }));
        if (res.statusCode !== 200) throw new Error(`${scenario.url} → ${res.statusCode}`);
        samples.push(ms);
      }
      results[scenario.name] = summarize(samples);
    }
    const yearTotal = (
      await app.inject({ method: 'GET', url: `/api/v1/admin/stats?from=${yearAgo}&to=${today}`, headers })
    ).json().total.tickets as number;

    // The live path: what the API adds to each ticket change.
    const sample = await models.Ticket.findOne({ no: 'BENCH-1' }).lean();
    const liveSamples: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const [ms] = await timed(() =>
        applyTicketStats(app.redis, { ...sample!, version: 100 + i, status: i % 2 ? 'answered' : 'resolved' }),
      );
      liveSamples.push(ms);
    }

    // Baseline: counting the same 30 days straight from the tickets, on an index of createdAt.
    await models.Ticket.collection.createIndex({ createdAt: 1 });
    const range = {
      createdAt: {
        $gte: new Date(Date.parse(`${monthAgo}T00:00:00+08:00`)),
        $lt: new Date(Date.parse(`${today}T00:00:00+08:00`) + DAY),
      },
    };
    const baselineSamples: number[] = [];
    let baselineCount = 0;
    for (let i = 0; i < options.baselineRuns; i++) {
      const [ms, count] = await timed(() => models.Ticket.countDocuments(range));
      baselineSamples.push(ms);
      baselineCount = count;
    }
    const baseline = summarize(baselineSamples);
    const dashboard = results[scenarios[0]!.name]!;

    log('');
    log('Results (ms):');
    const line = (label: string, s: ReturnType<typeof summarize>) =>
      log(
        `  ${label.padEnd(44)} p50 ${String(s.p50).padStart(8)}  p95 ${String(s.p95).padStart(8)}  p99 ${String(s.p99).padStart(8)}  max ${String(s.max).padStart(8)}  (n=${s.count})`,
      );
    for (const [name, summary] of Object.entries(results)) line(`GET /admin/stats — ${name}`, summary);
    line('rollup update per ticket change (Lua)', summarize(liveSamples));
    line(`baseline: countDocuments, 30 days, indexed (${baselineCount})`, baseline);
    log('');
    log(`  the year's total in the answer: ${yearTotal} of ${options.tickets} tickets`);
    log(`  dashboard p50 vs baseline p50: ${(baseline.p50 / dashboard.p50).toFixed(0)}× faster`);
    log(
      `  goal p99 < ${P99_GOAL_MS} ms for the dashboard: ${dashboard.p99 < P99_GOAL_MS ? 'met' : 'NOT met'} (${dashboard.p99} ms)`,
    );

    const files = reportDatabaseFiles(path.join(tmp, 'db'), (line) => log(`  ${line}`));

    const out = path.join(repoRoot, 'bench-results');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `stats-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          benchmark: 'stats',
          options,
          machine: machineInfo,
          insertMs,
          reconcileMs,
          results,
          live: summarize(liveSamples),
          baseline: { ...baseline, documents: baselineCount },
          yearTotal,
          goalP99Ms: P99_GOAL_MS,
          databaseFiles: files,
        },
        null,
        2,
      ),
    );
    log(`  written to ${path.relative(repoRoot, file)}`);
  } finally {
    await app.close().catch(() => undefined);
    await Promise.allSettled([db.stop(), redis.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

runBench(main);
