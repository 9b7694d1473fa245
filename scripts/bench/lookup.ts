/**
 * `npm run bench:lookup [-- --documents 20000 --runs 30 --list-runs 100 --upstream-runs 3 --upstream-budget 30]`:
 * what our FerretDB patch set (scripts/ferretdb/, applied by setup) buys, on the build `npm start`
 * runs, beside upstream FerretDB v1.24.2 as published (built here from the same module source without
 * the patches, into .tools/bin/ferretdb-upstream, once), in the same run, each on its own private data
 * folder holding the same documents (generated once, inserted into both):
 *   - the list queries, as the product builds them (ticketListFilter, recipientFilter): the member's
 *     inbox first page, a deep keyset page of it, the admin's overdue board, a resident's list, and
 *     the member's unread notices count;
 *   - one ticket by `_id`: find, find with a status condition, and a guarded findOneAndUpdate.
 * Realistic tickets (~2 KB with their timeline, scripts/bench/lib/ticket-data.ts) with the product's
 * indexes, and half as many notices. Each query's explain plan is printed for both builds. Upstream
 * reads the whole collection for all but `_id` lookups, so its runs are capped (`--upstream-runs`
 * per query, and `--upstream-budget` seconds per query; a call over 1 s is not repeated for warm-up).
 * Ends with both builds' data and WAL file sizes.
 * Results: printed, and written to bench-results/lookup-<timestamp>.json (git-ignored).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { mongo, Types } from 'mongoose';
import { repoRoot, startDatabase } from '../services';
import { buildFerretDBBinary, ferretPatchLevel, findGo, FERRETDB_VERSION } from '../lib/ferretdb-build';
import { registerModels } from '../../server/src/models';
import { runBench } from './lib/app-config';
import { numericFlags } from './lib/args';
import { describeMachine, formatMachine } from './lib/machine';
import { formatSummary, summarize, type Summary } from './lib/stats';
import { insertAll, newTicketWorld, nextNotices, nextTickets, type TicketWorld } from './lib/ticket-data';
import { benchActors, listQueries, sample, type ListKey } from './lib/list-queries';
import { databaseFiles, formatDatabaseFiles, type DatabaseFiles } from './lib/db-files';

const log = (line: string) => process.stdout.write(`${line}\n`);

const patchedBinary = path.join(repoRoot, '.tools', 'bin', 'ferretdb');
const upstreamBinary = path.join(repoRoot, '.tools', 'bin', 'ferretdb-upstream');

const LIST_KEYS: ListKey[] = ['inboxAll', 'inboxDeep', 'overdue', 'residentList', 'noticesUnread'];
const BY_ID = {
  findById: 'find by _id',
  findByIdAndStatus: 'find by _id and status',
  guardedUpdate: 'guarded findOneAndUpdate',
} as const;
type ByIdKey = keyof typeof BY_ID;

interface Data {
  world: TicketWorld;
  tickets: Record<string, unknown>[];
  notices: Record<string, unknown>[];
  unreadNotices: number;
}

interface ListFigures {
  label: string;
  latencyMs: Summary;
  plan: string;
  /** Documents on the page, or the count. */
  result: number;
  indexed: boolean;
}

interface BuildResult {
  build: string;
  binary: string;
  documents: number;
  insertSeconds: number;
  latencyMs: Record<ByIdKey, Summary>;
  /** The by-_id find's plan. */
  plan: string;
  lists: Partial<Record<ListKey, ListFigures>>;
  files: DatabaseFiles;
}

/**
 * Whether a FerretDB (SQLite) plan reads through an index: every SCAN or SEARCH of a table uses one
 * ("SCAN tickets_… USING INDEX …" walks an index in order; a bare "SCAN tickets_…" reads every row).
 * MongoDB plans: an IXSCAN and no COLLSCAN.
 */
export function planUsesIndex(plan: string): boolean {
  if (/COLLSCAN/.test(plan)) return false;
  if (/IXSCAN/.test(plan)) return true;
  const steps = plan.split(/\s+\|\s+|\s{2,}/).filter((s) => /^(SCAN|SEARCH) /.test(s.trim()));
  return (
    steps.length > 0 && steps.every((s) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|USING ROWID/.test(s))
  );
}

async function measure(
  build: string,
  binary: string,
  data: Data,
  opts: { byIdRuns: number; listRuns: number; listBudget: number },
): Promise<BuildResult> {
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mss-bench-lookup-'));
  const db = await startDatabase({ dataDir, dbName: 'bench_lookup', binary: { kind: 'ferretdb', path: binary } });
  const client = await mongo.MongoClient.connect(db.uri, { maxPoolSize: 4 });
  const connection = mongoose.createConnection(db.uri, { autoIndex: false });
  try {
    // The product's collections and indexes, as the API creates them.
    await connection.asPromise();
    const models = registerModels(connection);
    await models.Ticket.createIndexes();
    await models.Notification.createIndexes();
    const rawDb = client.db();
    const tickets = rawDb.collection(models.Ticket.collection.collectionName);
    const notices = rawDb.collection(models.Notification.collection.collectionName);
    log(`[bench] ${build}: inserting ${data.tickets.length} tickets and ${data.notices.length} notices…`);
    const insertSeconds = (await insertAll(tickets, data.tickets)) + (await insertAll(notices, data.notices));
    log(`[bench] ${build}: inserted in ${insertSeconds.toFixed(1)} s; timing the lists…`);

    const lists: BuildResult['lists'] = {};
    for (const q of listQueries(models, data.world, benchActors(data.world), LIST_KEYS)) {
      if (q.unavailable) {
        log(`  ${q.label.padEnd(34)} NOT measured — ${q.unavailable}`);
        continue;
      }
      const plan = await q.explain(rawDb);
      const result = await q.raw(rawDb);
      const latencyMs = summarize(await sample(() => q.raw(rawDb), opts.listRuns, opts.listBudget));
      lists[q.key] = { label: q.label, latencyMs, plan, result, indexed: planUsesIndex(plan) };
      log(`${formatSummary(`${q.label}`, latencyMs)}  [${result}]`);
    }

    // Spread over the collection, the same picks for both builds (every n-th ticket).
    const picks = Array.from(
      { length: opts.byIdRuns },
      (_, k) => data.tickets[Math.floor(((k + 0.5) * data.tickets.length) / opts.byIdRuns)]!,
    );
    const time = async (work: (doc: Record<string, unknown>) => Promise<unknown>) => {
      const samples: number[] = [];
      for (const doc of picks) {
        const t0 = performance.now();
        await work(doc);
        samples.push(performance.now() - t0);
      }
      return summarize(samples);
    };
    const findById = await time((doc) => tickets.findOne({ _id: doc._id as Types.ObjectId }));
    const findByIdAndStatus = await time((doc) =>
      tickets.findOne({
        _id: doc._id as Types.ObjectId,
        status: { $in: ['pending', 'assigned', 'answered', 'resolved'] },
      }),
    );
    // The shape of every ticket change: guarded by the expected version, appending to the timeline.
    const guardedUpdate = await time(async (doc) => {
      const version = doc.version as number;
      const res = await tickets.findOneAndUpdate({ _id: doc._id as Types.ObjectId, version }, {
        $set: { version: version + 1 },
        $push: { timeline: { _id: new Types.ObjectId(), type: 'note', at: new Date() } },
      } as never);
      if (!res) throw new Error(`guarded update missed ${String(doc._id)}`);
    });
    const explain = (await tickets.find({ _id: picks[0]!._id as Types.ObjectId }).explain()) as {
      queryPlanner?: { Plan?: string[] };
    };
    const files = databaseFiles(dataDir);
    return {
      build,
      binary,
      documents: data.tickets.length,
      insertSeconds: Math.round(insertSeconds * 10) / 10,
      latencyMs: { findById, findByIdAndStatus, guardedUpdate },
      plan: explain.queryPlanner?.Plan?.join(' ') ?? JSON.stringify(explain).slice(0, 200),
      lists,
      files,
    };
  } finally {
    await connection.close().catch(() => undefined);
    await client.close();
    await db.stop();
    await fs.promises.rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const flags = numericFlags(process.argv.slice(2), {
    documents: 20_000,
    runs: 30,
    'list-runs': 100,
    'upstream-runs': 3,
    'upstream-budget': 30,
  });
  if (!fs.existsSync(patchedBinary)) throw new Error(`${patchedBinary} is missing: run npm run setup`);
  if (!fs.existsSync(upstreamBinary)) {
    const go = findGo();
    if (!go) throw new Error('Go is needed to build upstream FerretDB for the comparison');
    log(
      `[bench] building upstream FerretDB ${FERRETDB_VERSION} (no patch) into ${path.relative(repoRoot, upstreamBinary)} for the baseline`,
    );
    const failure = buildFerretDBBinary({
      go,
      outFile: upstreamBinary,
      patched: false,
      buildDir: path.join(repoRoot, '.tools', 'build', 'ferretdb-upstream'),
      say: (line) => log(`[bench] ${line}`),
    });
    if (failure) throw new Error(failure);
  }
  const level = ferretPatchLevel(patchedBinary) ?? 'no patch stamp';
  const machine = describeMachine({
    database: `FerretDB ${FERRETDB_VERSION} (SQLite backend), patched (${level}) and upstream`,
  });

  // One data set for both builds.
  const world = newTicketWorld({ seed: 7 });
  const tickets = nextTickets(world, flags.documents);
  const notices = nextNotices(world, Math.round(flags.documents / 2));
  const data: Data = { world, tickets, notices: notices.docs, unreadNotices: notices.unread };
  const avgBytes = Math.round(tickets.reduce((n, d) => n + mongo.BSON.calculateObjectSize(d), 0) / tickets.length);
  log(
    `[bench] lookup: ${flags.documents} tickets (~${avgBytes} B each) and ${notices.docs.length} notices; ${flags.runs} lookups of each kind and up to ${flags['list-runs']} runs of each list on the patched build, ${flags['upstream-runs']} of each on upstream`,
  );
  const patched = await measure(`patched (${level})`, patchedBinary, data, {
    byIdRuns: flags.runs,
    listRuns: flags['list-runs'],
    listBudget: 30,
  });
  const upstream = await measure('upstream', upstreamBinary, data, {
    byIdRuns: Math.min(flags.runs, flags['upstream-runs']),
    listRuns: flags['upstream-runs'],
    listBudget: flags['upstream-budget'],
  });

  log('');
  log(
    '码上商 lookup benchmark — the list queries and one ticket by _id on the embedded FerretDB, patched vs upstream, same data, same run',
  );
  log(`machine:\n${formatMachine(machine)}`);
  log(
    `data: ${flags.documents} tickets (~${avgBytes} B of BSON each, the product's indexes), ${notices.docs.length} notices (${notices.mine} the member's, ${notices.unread} unread)`,
  );
  const ratios: Record<string, number> = {};
  const ratioOf = (a: Summary | undefined, b: Summary | undefined) =>
    a && b ? Math.round((b.p50 / a.p50) * 10) / 10 : NaN;
  log('lists (p50 / p99 ms; [documents on the page, or the count]):');
  for (const key of LIST_KEYS) {
    const p = patched.lists[key];
    const u = upstream.lists[key];
    if (!p && !u) continue;
    ratios[key] = ratioOf(p?.latencyMs, u?.latencyMs);
    log(`  ${(p ?? u)!.label}`);
    if (p) log(`${formatSummary('  patched', p.latencyMs)}  [${p.result}]`);
    if (u) log(`${formatSummary('  upstream', u.latencyMs)}  [${u.result}]`);
    if (p && u && p.result !== u.result) log(`  !! the builds disagree: ${p.result} vs ${u.result}`);
    log(`  → upstream p50 / patched p50 = ${ratios[key]}×; patched ${p?.indexed ? 'reads through an index' : 'SCANS'}`);
    log(`    plan, patched:  ${p?.plan ?? '—'}`);
    log(`    plan, upstream: ${u?.plan ?? '—'}`);
  }
  log('one ticket by _id (p50 / p99 ms):');
  for (const key of Object.keys(BY_ID) as ByIdKey[]) {
    ratios[key] = ratioOf(patched.latencyMs[key], upstream.latencyMs[key]);
    log(`  ${BY_ID[key]}`);
    log(formatSummary('  patched', patched.latencyMs[key]));
    log(formatSummary('  upstream', upstream.latencyMs[key]));
    log(`  → upstream p50 / patched p50 = ${ratios[key]}×`);
  }
  log(`plan (find by _id), patched:  ${patched.plan}`);
  log(`plan (find by _id), upstream: ${upstream.plan}`);
  log(formatDatabaseFiles(patched.files, 'database files, patched'));
  log(formatDatabaseFiles(upstream.files, 'database files, upstream'));

  const result = {
    bench: 'lookup',
    at: new Date().toISOString(),
    machine,
    documents: flags.documents,
    notices: notices.docs.length,
    averageTicketBytes: avgBytes,
    runs: flags.runs,
    flags,
    patched,
    upstream,
    ratios,
  };
  const outDir = path.join(repoRoot, 'bench-results');
  await fs.promises.mkdir(outDir, { recursive: true });
  const outFile = path.join(outDir, `lookup-${result.at.replace(/[:.]/g, '-')}.json`);
  await fs.promises.writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), outFile)}`);
}

runBench(main);
