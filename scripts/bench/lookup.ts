/**
 * `npm run bench:lookup [-- --documents 20000 --runs 30]`: what the two-line FerretDB patch that setup
 * applies (scripts/lib/ferretdb-build.ts) buys: reads and guarded updates of one ticket by `_id`, on
 * the patched build that `npm start` runs, beside upstream FerretDB v1.24.2 as published (built here
 * from the same module source without the patch, into .tools/bin/ferretdb-upstream, once) in the
 * same run, each on its own private data folder with the same ticket-sized documents.
 * Results: printed, and written to bench-results/lookup-<timestamp>.json (git-ignored).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { repoRoot, startDatabase } from '../services';
import { buildFerretDBBinary, findGo, FERRETDB_PATCH_LEVEL, FERRETDB_VERSION } from '../lib/ferretdb-build';
import { runBench } from './lib/app-config';
import { numericFlags } from './lib/args';
import { describeMachine, formatMachine } from './lib/machine';
import { formatSummary, summarize, type Summary } from './lib/stats';

const log = (line: string) => process.stdout.write(`${line}\n`);

const patchedBinary = path.join(repoRoot, '.tools', 'bin', 'ferretdb');
const upstreamBinary = path.join(repoRoot, '.tools', 'bin', 'ferretdb-upstream');

/** A document shaped like a ticket with a short timeline (about 2 KB of JSON, as stored tickets are). */
function ticketLike(i: number) {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  return {
    _id: new ObjectId(),
    no: `HN20260101-${String(i).padStart(6, '0')}`,
    studioId: new ObjectId(),
    status: i % 3 === 0 ? 'assigned' : 'resolved',
    content: `第 ${i} 条留言：小区门口的路灯坏了一个多月了，晚上出行很不安全，希望尽快修好。`.repeat(3),
    version: 1,
    timeline: Array.from({ length: 4 }, (_, k) => ({ _id: new ObjectId(), type: ['submitted', 'assigned', 'reply', 'resolved'][k], at, actor: { role: 'system', id: null, name: '系统' }, content: '已处理'.repeat(10) })),
    createdAt: at,
  };
}

interface BuildResult {
  build: string;
  binary: string;
  documents: number;
  latencyMs: Record<'findById' | 'findByIdAndStatus' | 'guardedUpdate', Summary>;
  plan: string;
}

async function measure(build: string, binary: string, documents: number, runs: number): Promise<BuildResult> {
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mss-bench-lookup-'));
  const db = await startDatabase({ dataDir, dbName: 'bench_lookup', binary: { kind: 'ferretdb', path: binary } });
  const client = await MongoClient.connect(db.uri);
  try {
    const tickets = client.db().collection('tickets');
    const ids: ObjectId[] = [];
    for (let i = 0; i < documents; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, documents - i) }, (_, k) => ticketLike(i + k));
      await tickets.insertMany(batch);
      ids.push(...batch.map((d) => d._id));
    }
    // Spread over the collection, the same picks for both builds (every n-th id).
    const picks = Array.from({ length: runs }, (_, k) => ids[Math.floor(((k + 0.5) * ids.length) / runs)]!);
    const time = async (work: (id: ObjectId) => Promise<unknown>) => {
      const samples: number[] = [];
      for (const id of picks) {
        const t0 = performance.now();
        await work(id);
        samples.push(performance.now() - t0);
      }
      return summarize(samples);
    };
    const findById = await time((id) => tickets.findOne({ _id: id }));
    const findByIdAndStatus = await time((id) => tickets.findOne({ _id: id, status: { $in: ['assigned', 'resolved'] } }));
    // The shape of every ticket change: guarded by the expected state, appending to the timeline.
    const guardedUpdate = await time(async (id) => {
      const res = await tickets.findOneAndUpdate({ _id: id, version: 1 }, { $set: { version: 2 }, $push: { timeline: { _id: new ObjectId(), type: 'note', at: new Date() } } } as never);
      if (!res) throw new Error(`guarded update missed ${String(id)}`);
    });
    const explain = (await tickets.find({ _id: picks[0] }).explain()) as { queryPlanner?: { Plan?: string[] } };
    return { build, binary, documents, latencyMs: { findById, findByIdAndStatus, guardedUpdate }, plan: explain.queryPlanner?.Plan?.join(' ') ?? JSON.stringify(explain).slice(0, 200) };
  } finally {
    await client.close();
    await db.stop();
    await fs.promises.rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const flags = numericFlags(process.argv.slice(2), { documents: 20_000, runs: 30 });
  if (!fs.existsSync(patchedBinary)) throw new Error(`${patchedBinary} is missing: run npm run setup`);
  if (!fs.existsSync(upstreamBinary)) {
    const go = findGo();
    if (!go) throw new Error('Go is needed to build upstream FerretDB for the comparison');
    log(`[bench] building upstream FerretDB ${FERRETDB_VERSION} (no patch) into ${path.relative(repoRoot, upstreamBinary)} for the baseline`);
    const failure = buildFerretDBBinary({ go, outFile: upstreamBinary, patched: false, buildDir: path.join(repoRoot, '.tools', 'build', 'ferretdb-upstream'), say: (line) => log(`[bench] ${line}`) });
    if (failure) throw new Error(failure);
  }
  const machine = describeMachine({ database: `FerretDB ${FERRETDB_VERSION} (SQLite backend), patched (${FERRETDB_PATCH_LEVEL}) and upstream` });
  log(`[bench] lookup: ${flags.documents} ticket-sized documents, ${flags.runs} lookups of each kind per build`);
  const patched = await measure(`patched (${FERRETDB_PATCH_LEVEL})`, patchedBinary, flags.documents, flags.runs);
  const upstream = await measure('upstream', upstreamBinary, flags.documents, flags.runs);

  log('');
  log('码上商 lookup benchmark — one document by _id on the embedded FerretDB, patched vs upstream');
  log(`machine:\n${formatMachine(machine)}`);
  const labels = { findById: 'find by _id', findByIdAndStatus: 'find by _id and status', guardedUpdate: 'guarded findOneAndUpdate' } as const;
  const ratios: Record<string, number> = {};
  for (const key of Object.keys(labels) as (keyof typeof labels)[]) {
    ratios[key] = Math.round((upstream.latencyMs[key].p50 / patched.latencyMs[key].p50) * 10) / 10;
    log(formatSummary(`${labels[key]}, patched`, patched.latencyMs[key]));
    log(formatSummary(`${labels[key]}, upstream`, upstream.latencyMs[key]));
    log(`  → upstream p50 / patched p50 = ${ratios[key]}×`);
  }
  log(`plan, patched:  ${patched.plan}`);
  log(`plan, upstream: ${upstream.plan}`);

  const result = { bench: 'lookup', at: new Date().toISOString(), machine, documents: flags.documents, runs: flags.runs, patched, upstream, ratios };
  const outDir = path.join(repoRoot, 'bench-results');
  await fs.promises.mkdir(outDir, { recursive: true });
  const outFile = path.join(outDir, `lookup-${result.at.replace(/[:.]/g, '-')}.json`);
  await fs.promises.writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), outFile)}`);
}

runBench(main);
