/**
 * `npm run bench [-- --only submit,inbox]`: every benchmark (or the ones named) in sequence —
 * notify, stats, submit, inbox, lookup — with modest sizes —
 * about 9 minutes on 2 cores — each printing its own figures, then one short combined table.
 * Each one also runs alone (`npm run bench:notify|bench:stats|bench:submit|bench:inbox|bench:lookup`, with its
 * own flags); every run writes its JSON under bench-results/ (git-ignored).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../services';
import { describeMachine, formatMachine, loadAverage } from './lib/machine';

interface Bench {
  name: 'notify' | 'stats' | 'submit' | 'inbox' | 'lookup';
  args: string[];
}

/** Sizes chosen so the whole run stays near 10 minutes on the embedded FerretDB. */
const BENCHES: Bench[] = [
  { name: 'notify', args: ['--rate', '50', '--seconds', '10'] },
  { name: 'stats', args: ['--tickets', '20000', '--runs', '100'] },
  { name: 'submit', args: ['--connections', '10', '--seconds', '10', '--rate', '200'] },
  { name: 'inbox', args: ['--sizes', '2000,20000', '--runs', '20', '--budget', '30', '--seed-budget', '300'] },
  { name: 'lookup', args: ['--documents', '20000', '--runs', '30'] },
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
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, `${bench.name}.ts`), ...bench.args], { stdio: 'inherit', cwd: repoRoot });
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

const get = (obj: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), obj);
const verdict = (met: unknown) => (met === true ? 'met' : met === false ? 'MISSED' : 'n/a');

function rowsOf(name: Bench['name'], r: Json): Row[] {
  if (name === 'notify') {
    return [
      { bench: 'notify', figure: 'submit → member message p50 / p99', value: `${String(get(r, 'latencyMs', 'endToEnd', 'p50'))} / ${String(get(r, 'latencyMs', 'endToEnd', 'p99'))} ms`, goal: `p99 < ${String(get(r, 'goal', 'p99UnderMs'))} ms at 50/s`, verdict: verdict(get(r, 'goal', 'met')) },
    ];
  }
  if (name === 'stats') {
    const dashboard = get(r, 'results', 'dashboard: last 30 days per studio');
    return [
      { bench: 'stats', figure: `dashboard p50 / p99 (${String(get(r, 'options', 'tickets'))} tickets)`, value: `${String(get(dashboard, 'p50'))} / ${String(get(dashboard, 'p99'))} ms`, goal: `p99 < ${String(get(r, 'goalP99Ms'))} ms`, verdict: verdict((get(dashboard, 'p99') as number) < (get(r, 'goalP99Ms') as number)) },
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
        value: `${String(get(r, 'runs', 'submitFixedRate', 'latencyMs', 'p50'))} / ${String(get(r, 'runs', 'submitFixedRate', 'latencyMs', 'p99'))} ms (${String(get(r, 'runs', 'submitFixedRate', 'throughputPerSecond'))} req/s held)`,
        goal: 'p99 < 50 ms at 200/s',
        verdict: verdict(get(r, 'goals', 'p99AtFixedRate', 'met')),
      },
    ];
  }
  if (name === 'lookup') {
    return ['findById', 'findByIdAndStatus', 'guardedUpdate'].map((key) => ({
      bench: 'lookup',
      figure: `${key} p50, patched vs upstream (${String(get(r, 'documents'))} docs)`,
      value: `${String(get(r, 'patched', 'latencyMs', key, 'p50'))} vs ${String(get(r, 'upstream', 'latencyMs', key, 'p50'))} ms (${String(get(r, 'ratios', key))}×)`,
      goal: 'an index lookup',
      verdict: String(get(r, 'patched', 'plan')).includes('USING INDEX') ? 'met' : 'MISSED',
    }));
  }
  const rows: Row[] = [];
  for (const [key, g] of Object.entries((get(r, 'goals') as Json | undefined) ?? {})) {
    const goal = g as Json;
    rows.push({
      bench: 'inbox',
      figure: `${key} p99`,
      value: 'notAssessed' in goal ? String(goal.notAssessed) : `${String(goal.smallest)} ms at ${String(goal.smallTickets)} → ${String(goal.largest)} ms at ${String(goal.largeTickets)} (${String(goal.ratio)}×)`,
      goal: 'largest ≤ 2× smallest',
      verdict: 'notAssessed' in goal ? 'n/a' : verdict(goal.met),
    });
  }
  return rows;
}

function selected(argv: string[]): Bench[] {
  if (argv.length === 0) return BENCHES;
  const only = argv[0] === '--only' ? argv[1] : argv[0]?.startsWith('--only=') ? argv[0].slice('--only='.length) : undefined;
  const names = only?.split(',').map((n) => n.trim());
  if (!names || argv.length > (argv[0] === '--only' ? 2 : 1) || names.some((n) => !BENCHES.some((b) => b.name === n))) {
    throw new Error(`usage: npm run bench [-- --only ${BENCHES.map((b) => b.name).join(',')}]`);
  }
  return BENCHES.filter((b) => names.includes(b.name));
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
    if (!result) rows.push({ bench: bench.name, figure: '—', value: `failed (exit ${String(code)})`, goal: '—', verdict: 'FAILED' });
    else rows.push(...rowsOf(bench.name, result));
  }
  const width = (k: keyof Row) => Math.max(k.length, ...rows.map((r) => r[k].length));
  const line = (r: Row) => `  ${r.bench.padEnd(width('bench'))}  ${r.figure.padEnd(width('figure'))}  ${r.value.padEnd(width('value'))}  ${r.goal.padEnd(width('goal'))}  ${r.verdict}`;
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
