/**
 * The load generator, run as its own process by load.ts: `node --import tsx load-child.ts <spec.json> <result.json>`.
 * - submit: autocannon against POST /api/v1/tickets, a distinct Idempotency-Key per request and the
 *   residents' tokens round robin (setupRequest varies headers and body per request).
 * - insert: the baseline, raw driver insertOne of an equivalent ticket document, with the same
 *   number of concurrent callers (and the same overall rate when one is set).
 */
import fs from 'node:fs';
import autocannon from 'autocannon';
import mongoose, { Types } from 'mongoose';
import type { LoadResult, LoadSpec } from './load';
import { percentile } from './stats';

const CONTENT = '压测留言：小区门口路灯坏了一个多月，晚上出行很不方便，希望尽快修复。';

async function submitLoad(spec: Extract<LoadSpec, { mode: 'submit' }>): Promise<LoadResult> {
  let n = 0;
  let firstFailure: string | null = null;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/tickets',
        setupRequest: (request) => {
          const i = n++;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${spec.tokens[i % spec.tokens.length]!}`,
              'idempotency-key': `bench-${spec.keyPrefix}-${String(i).padStart(7, '0')}`,
            },
            body: JSON.stringify({
              studioId: spec.studioId,
              category: 'help',
              content: `${CONTENT}（第 ${i + 1} 条）`,
            }),
          };
        },
        onResponse: (status, body) => {
          if (status >= 300 && firstFailure === null) firstFailure = `${status} ${body.slice(0, 200)}`;
        },
      },
    ],
  });
  const failures: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    if (!code.startsWith('2')) failures[`HTTP ${code}`] = (stats as { count: number }).count;
  if (result.errors) failures.errors = result.errors;
  if (result.timeouts) failures.timeouts = result.timeouts;
  const ok = result['2xx'];
  return {
    mode: 'submit',
    ...(firstFailure ? { firstFailure } : {}),
    connections: spec.connections,
    seconds: spec.seconds,
    overallRate: spec.overallRate ?? null,
    completed: result.requests.total,
    succeeded: ok,
    failures,
    throughputPerSecond: round(ok / result.duration),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
  };
}

/** A ticket document shaped like the one submitTicket stores (timeline and outbox included). */
function ticketDocument(spec: Extract<LoadSpec, { mode: 'insert' }>, i: number) {
  const now = new Date();
  const memberId = new Types.ObjectId();
  return {
    _id: new Types.ObjectId(),
    no: `${spec.keyPrefix}-${i}`,
    studioId: new Types.ObjectId(spec.studioId),
    residentId: new Types.ObjectId(),
    idempotencyKey: `${spec.keyPrefix}-${i}`,
    category: 'help',
    content: `${CONTENT}（第 ${i + 1} 条）`,
    imageIds: [],
    contactPhoneEnc: null,
    contactName: null,
    allowContact: false,
    anonymous: false,
    status: 'assigned',
    assigneeId: memberId,
    assigneeName: '压测委员',
    assignedAt: now,
    dueAt: new Date(now.getTime() + 72 * 3600_000),
    answeredAt: null,
    resolvedAt: null,
    outcome: null,
    rating: null,
    contentCheck: 'pass',
    flagged: false,
    reopenCount: 0,
    version: 1,
    timeline: [
      {
        _id: new Types.ObjectId(),
        type: 'submitted',
        at: now,
        actor: { role: 'resident', id: new Types.ObjectId(), name: '群众' },
      },
      {
        _id: new Types.ObjectId(),
        type: 'assigned',
        at: now,
        actor: { role: 'system', id: null, name: '系统' },
        toMemberId: memberId,
        toMemberName: '压测委员',
      },
    ],
    outbox: [
      {
        _id: new Types.ObjectId(),
        kind: 'ticket_assigned',
        recipient: { kind: 'member', id: memberId },
        createdAt: now,
        doneAt: null,
      },
    ],
    noticesPendingSince: now,
    remindedAt: null,
    overdueNotifiedAt: null,
    escalatedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

async function insertLoad(spec: Extract<LoadSpec, { mode: 'insert' }>): Promise<LoadResult> {
  const client = new mongoose.mongo.MongoClient(spec.mongoUri, { maxPoolSize: spec.connections });
  await client.connect();
  const collection = client.db().collection(spec.collection);
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let n = 0;
  let succeeded = 0;
  const started = performance.now();
  const endAt = started + spec.seconds * 1000;
  // With a rate, each caller takes the next slot of a shared schedule (like autocannon's overallRate,
  // a caller never has more than one request in flight); without one, callers go back to back.
  const interval = spec.overallRate ? 1000 / spec.overallRate : 0;
  let nextSlot = started;
  const caller = async () => {
    while (performance.now() < endAt) {
      if (interval) {
        const slot = nextSlot;
        nextSlot += interval;
        const wait = slot - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (performance.now() >= endAt) break;
      }
      const doc = ticketDocument(spec, n++);
      const t0 = performance.now();
      try {
        await collection.insertOne(doc);
        succeeded++;
        latencies.push(performance.now() - t0);
      } catch (error) {
        const name = (error as Error).name;
        failures[name] = (failures[name] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, caller));
  const elapsed = (performance.now() - started) / 1000;
  await client.close();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => round(percentile(sorted, p));
  return {
    mode: 'insert',
    connections: spec.connections,
    seconds: spec.seconds,
    overallRate: spec.overallRate ?? null,
    completed: succeeded + Object.values(failures).reduce((a, b) => a + b, 0),
    succeeded,
    failures,
    throughputPerSecond: round(succeeded / elapsed),
    latencyMs: {
      p50: at(50),
      p90: at(90),
      p97_5: at(97.5),
      p99: at(99),
      max: round(sorted.at(-1) ?? NaN),
      mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
    },
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

async function main() {
  const [specFile, resultFile] = process.argv.slice(2);
  if (!specFile || !resultFile) throw new Error('usage: load-child.ts <spec.json> <result.json>');
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as LoadSpec;
  const result = spec.mode === 'submit' ? await submitLoad(spec) : await insertLoad(spec);
  fs.writeFileSync(resultFile, JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[load] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
