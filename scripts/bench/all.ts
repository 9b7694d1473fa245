/**
 * `npm run bench [-- --only submit,inbox --seed-budget 900]`: every benchmark (or the ones named) in
 * sequence — notify, stats, submit, inbox, lookup — with modest sizes, about 15 minutes on 2 cores,
 * each printing its own figures, then one combined table with every goal and the database's data and
 * WAL sizes at the end of each bench. `--seed-budget` is passed to bench:inbox (seconds of seeding
 * towards 1 M tickets; the default stops short of 1 M on a 2-core machine and says how far it got).
 * Each one also runs alone (`npm run bench:notify|bench:stats|bench:submit|bench:inbox|bench:lookup`,
 * with its own flags); every run writes its JSON under bench-results/ (git-ignored).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../services';
import { describeMachine, formatMachine, loadAverage } from './lib/machine';
import { displayWidth, padDisplay } from './lib/stats';

interface Bench {
  name: 'notify' | 'stats' | 'submit' | 'inbox' | 'lookup';
  args: string[];
}

/** Sizes chosen so the whole run stays near 15 minutes on the embedded FerretDB (2 cores). */
const INBOX_SEED_BUDGET = 360;
const BENCHES: Bench[] = [
  { name: 'notify', args: ['--rate', '50', '--seconds', '10', '--idle', '20'] },
  { name: 'stats', args: ['--tickets', '20000', '--runs', '100'] },
  { name: 'submit', args: ['--connections', '10', '--seconds', '10', '--rate', '200'] },
  {
    name: 'inbox',
    args: [
      '--sizes',
      '10000,100000,1000000',
      '--runs',
      '200',
      '--budget',
      '10',
      '--seed-budget',
      String(INBOX_SEED_BUDGET),
    ],
  },
  {
    name: 'lookup',
    args: [
      '--documents',
      '10000',
      '--runs',
      '30',
      '--list-runs',
      '100',
      '--upstream-runs',
      '2',
      '--upstream-budget',
      '20',
    ],
  },
];

type Json = Record<string, unknown>;
interface Row {
  bench: string;
  figure: string;
  value: string;
  goal: string;
  verdict: string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function run(bench: Bench): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, `${bench.name}.ts`), ...bench.args],
      { stdio: 'inherit', cwd: repoRoot },
    );
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

/** The JSON a bench wrote during this run (newest bench-results/<name>-*.json since `since`). */
function resultOf(name: string, since: number): Json | null {
  const dir = path.join(repoRoot, 'bench-results');
  if (!fs.existsSync(dir)) return null;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json'))
    .map((f) => ({ file: path.join(dir, f), mtime: fs.statSync(path.join(dir, f)).mtimeMs }))
    .filter((f) => f.mtime >= since)
    .sort((a, b) => b.mtime - a.mtime);
  return files[0] ? (JSON.parse(fs.readFileSync(files[0].file, 'utf8')) as Json) : null;
}

const get = (obj: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), obj);
const verdict = (met: unknown) => (met === true ? 'met' : met === false ? 'MISSED' : 'n/a');

const ms = (v: unknown) => `${String(v)} ms`;
const bytes = (n: unknown) =>
  typeof n === 'number'
    ? n >= 1024 ** 3
      ? `${(n / 1024 ** 3).toFixed(2)} GiB`
      : `${(n / 1024 ** 2).toFixed(1)} MiB`
    : '?';

/** The database's size at the end of a bench (data / WAL), as its JSON recorded it. */
function filesRow(bench: string, files: unknown, label = 'database at the end: data / WAL'): Row[] {
  if (!files || typeof files !== 'object') return [];
  return [
    {
      bench,
      figure: label,
      value: `${bytes(get(files, 'dataBytes'))} / ${bytes(get(files, 'walBytes'))}`,
      goal: '—',
      verdict: '',
    },
  ];
}

function rowsOf(name: Bench['name'], r: Json): Row[] {
  if (name === 'notify') {
    const idle = (key: string, label: string): Row => ({
      bench: 'notify',
      figure: `idle, one ticket: submit → ${label} p50 / max`,
      value: `${ms(get(r, 'idle', key, 'p50'))} / ${ms(get(r, 'idle', key, 'max'))} (n=${String(get(r, 'idle', key, 'count'))})`,
      goal: `≤ ${String(get(r, 'idle', 'goal', 'atMostMs'))} ms`,
      verdict: verdict((get(r, 'idle', key, 'p50') as number) <= (get(r, 'idle', 'goal', 'atMostMs') as number)),
    });
    return [
      idle('toInAppNotice', 'in-app notice'),
      idle('toWechatMessage', 'WeChat message'),
      {
        bench: 'notify',
        figure: `at ${String(get(r, 'parameters', 'rate'))}/s: submit → WeChat message p50 / p99`,
        value: `${String(get(r, 'latencyMs', 'endToEnd', 'p50'))} / ${ms(get(r, 'latencyMs', 'endToEnd', 'p99'))}; in-app p99 ${ms(get(r, 'latencyMs', 'toInAppNotice', 'p99'))}`,
        goal: `p99 < ${String(get(r, 'goal', 'p99UnderMs'))} ms at 50/s`,
        verdict: verdict(get(r, 'goal', 'met')),
      },
      {
        bench: 'notify',
        figure: '  stretch',
        value: `p99 ${ms(get(r, 'latencyMs', 'endToEnd', 'p99'))}`,
        goal: `p99 < ${String(get(r, 'goal', 'stretchUnderMs'))} ms`,
        verdict: verdict(get(r, 'goal', 'stretchMet')),
      },
      ...filesRow('notify', get(r, 'databaseFiles')),
    ];
  }
  if (name === 'stats') {
    const dashboard = get(r, 'results', 'dashboard: last 30 days per studio');
    return [
      {
        bench: 'stats',
        figure: `dashboard p50 / p99 (${String(get(r, 'options', 'tickets'))} tickets)`,
        value: `${String(get(dashboard, 'p50'))} / ${ms(get(dashboard, 'p99'))}`,
        goal: `p99 < ${String(get(r, 'goalP99Ms'))} ms`,
        verdict: verdict((get(dashboard, 'p99') as number) < (get(r, 'goalP99Ms') as number)),
      },
      ...filesRow('stats', get(r, 'databaseFiles')),
    ];
  }
  if (name === 'submit') {
    return [
      {
        bench: 'submit',
        figure: 'max throughput vs insertOne baseline',
        value: `${String(get(r, 'runs', 'submitMax', 'throughputPerSecond'))} vs ${String(get(r, 'runs', 'baselineInsertMax', 'throughputPerSecond'))} req/s (${Math.round((get(r, 'goals', 'throughput', 'ratio') as number) * 1000) / 10} %)`,
        goal: '≥ 50 % of baseline',
        verdict: verdict(get(r, 'goals', 'throughput', 'met')),
      },
      {
        bench: 'submit',
        figure: `p50 / p99 at fixed ${String(get(r, 'parameters', 'rate'))} req/s`,
        value: `${String(get(r, 'runs', 'submitFixedRate', 'latencyMs', 'p50'))} / ${ms(get(r, 'runs', 'submitFixedRate', 'latencyMs', 'p99'))} (${String(get(r, 'runs', 'submitFixedRate', 'throughputPerSecond'))} req/s held)`,
        goal: 'p99 < 50 ms at 200/s',
        verdict: verdict(get(r, 'goals', 'p99AtFixedRate', 'met')),
      },
      ...filesRow('submit', get(r, 'databaseFiles')),
    ];
  }
  if (name === 'lookup') {
    const docs = String(get(r, 'documents'));
    const lists = Object.entries((get(r, 'patched', 'lists') as Json | undefined) ?? {}).map(([key, p]) => ({
      bench: 'lookup',
      figure: `${String(get(p, 'label'))} p50, patched vs upstream (${docs} tickets)`,
      value: `${ms(get(p, 'latencyMs', 'p50'))} vs ${ms(get(r, 'upstream', 'lists', key, 'latencyMs', 'p50'))} (${String(get(r, 'ratios', key))}×)`,
      goal: 'reads through an index',
      verdict: verdict(get(p, 'indexed')),
    }));
    const byId = ['findById', 'findByIdAndStatus', 'guardedUpdate'].map((key) => ({
      bench: 'lookup',
      figure: `${key} p50, patched vs upstream (${docs} tickets)`,
      value: `${ms(get(r, 'patched', 'latencyMs', key, 'p50'))} vs ${ms(get(r, 'upstream', 'latencyMs', key, 'p50'))} (${String(get(r, 'ratios', key))}×)`,
      goal: 'an index lookup',
      verdict: String(get(r, 'patched', 'plan')).includes('USING INDEX') ? 'met' : 'MISSED',
    }));
    return [
      ...lists,
      ...byId,
      ...filesRow('lookup', get(r, 'patched', 'files'), 'patched database at the end: data / WAL'),
      ...filesRow('lookup', get(r, 'upstream', 'files'), 'upstream database at the end: data / WAL'),
    ];
  }
  const rows: Row[] = [];
  const largest = get(r, 'largestTickets') as number;
  const sizes = (get(r, 'results') as Json[] | undefined) ?? [];
  const reached = sizes.filter((s) => !s.skipped).at(-1);
  rows.push({
    bench: 'inbox',
    figure: 'seeding (driver insertMany)',
    value: `${largest} tickets reached, ${String(reached?.insertPerSecond ?? '?')}/s`,
    goal: '1 M within --seed-budget',
    verdict: largest >= 1_000_000 ? 'met' : 'short',
  });
  for (const [key, byPath] of Object.entries((get(r, 'goals') as Json | undefined) ?? {})) {
    const goal = get(byPath, 'api') as Json | undefined;
    const raw = get(byPath, 'raw') as Json | undefined;
    if (!goal) continue;
    const label = String(goal.label ?? sizes.map((s) => get(s, 'queries', key, 'label')).find(Boolean) ?? key);
    rows.push({
      bench: 'inbox',
      figure: `${label} p99 (API)`,
      value:
        'notAssessed' in goal
          ? String(goal.notAssessed)
          : `${ms(goal.smallP99)} at ${String(goal.smallTickets)} → ${ms(goal.largeP99)} at ${String(goal.largeTickets)} (${String(goal.ratio)}×)${raw && !('notAssessed' in raw) ? `; raw ${ms(raw.largeP99)}` : ''}`,
      goal: '≤ 2× the 10 k p99, ≤ 50 ms at 1 M',
      verdict:
        'notAssessed' in goal
          ? 'n/a'
          : goal.met === null
            ? `n/a (${goal.scalingMet && goal.absoluteMet ? 'on track' : 'off track'} at ${String(goal.largeTickets)})`
            : verdict(goal.met),
    });
  }
  rows.push(...filesRow('inbox', get(r, 'databaseFiles')));
  return rows;
}

function selected(argv: string[]): Bench[] {
  let names: string[] | null = null;
  let seedBudget: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (flag === '--only' && value) names = value.split(',').map((n) => n.trim());
    else if (flag === '--seed-budget' && value && Number(value) > 0) seedBudget = value;
    else
      throw new Error(
        `usage: npm run bench [-- --only ${BENCHES.map((b) => b.name).join(',')}] [--seed-budget <seconds for bench:inbox, default ${INBOX_SEED_BUDGET}>]`,
      );
  }
  if (names?.some((n) => !BENCHES.some((b) => b.name === n)))
    throw new Error(`unknown bench in --only (known: ${BENCHES.map((b) => b.name).join(', ')})`);
  return BENCHES.filter((b) => !names || names.includes(b.name)).map((b) =>
    b.name === 'inbox' && seedBudget
      ? { ...b, args: b.args.map((a, i) => (b.args[i - 1] === '--seed-budget' ? seedBudget : a)) }
      : b,
  );
}

async function main() {
  const benches = selected(process.argv.slice(2));
  const started = Date.now();
  const rows: Row[] = [];
  const loads: string[] = [];
  for (const bench of benches) {
    log(`\n========== ${bench.name} (${bench.args.join(' ')}) — load average ${loadAverage()} ==========`);
    loads.push(`${bench.name} ${loadAverage()}`);
    const since = Date.now();
    const code = await run(bench);
    const result = code === 0 ? resultOf(bench.name, since) : null;
    if (!result)
      rows.push({
        bench: bench.name,
        figure: '—',
        value: `failed (exit ${String(code)})`,
        goal: '—',
        verdict: 'FAILED',
      });
    else rows.push(...rowsOf(bench.name, result));
  }
  const width = (k: keyof Row) => Math.max(k.length, ...rows.map((r) => displayWidth(r[k])));
  const line = (r: Row) =>
    `  ${padDisplay(r.bench, width('bench'))}  ${padDisplay(r.figure, width('figure'))}  ${padDisplay(r.value, width('value'))}  ${padDisplay(r.goal, width('goal'))}  ${r.verdict}`;
  log('\n========== 码上商 benchmarks: summary ==========');
  log(`machine:\n${formatMachine(describeMachine())}`);
  log(`load average at the start of each: ${loads.join('; ')}`);
  log(line({ bench: 'bench', figure: 'figure', value: 'value', goal: 'goal', verdict: 'verdict' }));
  for (const r of rows) log(line(r));
  log(`total ${((Date.now() - started) / 60_000).toFixed(1)} min; JSON per bench in bench-results/`);
  process.exitCode = rows.some((r) => r.verdict === 'FAILED') ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
