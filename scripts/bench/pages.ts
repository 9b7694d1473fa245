/**
 * `npm run bench:pages [-- --runs 3] [-- --baseline DIR]`: a resident's first contact as Lighthouse
 * 12.2.3 measures it on a simulated phone (mobile form factor, its default slow-4G and CPU
 * throttling), in Debian's chromium: the studio landing (the link its H5 QR code holds), the submit
 * page and the home page's studio list. Prints each page's performance score, LCP, TBT and
 * JavaScript transferred (the median of `--runs`) beside the goals (score ≥ 90, LCP ≤ 2.5 s,
 * JavaScript ≤ 200 KiB compressed), and the scripts the page loaded; writes JSON to bench-results/.
 * The API serves the H5 build as `npm start` does (built first if stale); Lighthouse is fetched by
 * npx at its pinned version (it is not a dependency of the product).
 *
 * `--baseline DIR`: also measures another H5 build (e.g. an earlier commit's miniprogram/dist/h5,
 * copied aside), served by a second API on the same data, run for run in turn with this one, and
 * prints each figure's ratio to it. TBT, and so the score, follow how busy the machine is: only
 * figures measured side by side in one run compare.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app';
import { benchConfig, runBench } from './lib/app-config';
import { startBenchServices } from './lib/services';
import { describeMachine, formatMachine } from './lib/machine';
import { numericFlags } from './lib/args';
import { repoRoot } from '../services';
import { seedDatabase } from '../lib/seed-database';
import { ensureH5BuildSync } from '../lib/h5-build';

const LIGHTHOUSE = 'lighthouse@12.2.3';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const GOALS = { score: 90, lcpMs: 2500, jsKiB: 200 };

interface PageFigures {
  score: number;
  lcpMs: number;
  tbtMs: number;
  jsKiB: number;
  /** Each script the page loaded: its file name and compressed KiB. */
  scripts: { file: string; kib: number }[];
}
type Figure = Exclude<keyof PageFigures, 'scripts'>;

const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * One Lighthouse run (asynchronous: the API answering it lives in this process). `asks`: a request
 * the page makes when it shows what it should (its data); a run without it measured something else
 * (an error state, a redirect gone wrong) and fails.
 */
async function lighthouse(url: string, asks?: string): Promise<PageFigures> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mss-lh-profile-'));
  const out = path.join(profile, 'report.json');
  try {
    await promisify(execFile)(
      'npx',
      [
        '-y',
        LIGHTHOUSE,
        url,
        `--chrome-path=${CHROMIUM}`,
        `--chrome-flags=${[...CHROME_FLAGS, `--user-data-dir=${profile}`].join(' ')}`,
        '--only-categories=performance',
        '--output=json',
        `--output-path=${out}`,
        '--quiet',
      ],
      { timeout: 180_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      categories: { performance: { score: number | null } };
      audits: Record<
        string,
        {
          numericValue?: number;
          details?: { items?: { url?: string; resourceType?: string; transferSize?: number }[] };
        }
      >;
    };
    const requests = report.audits['network-requests']?.details?.items ?? [];
    if (asks && !requests.some((r) => r.url?.includes(asks)))
      throw new Error(`${url} never requested ${asks}: the page is not showing what it should`);
    const scripts = requests.filter((r) => r.resourceType === 'Script');
    const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
    return {
      score: Math.round((report.categories.performance.score ?? 0) * 100),
      lcpMs: Math.round(report.audits['largest-contentful-paint']?.numericValue ?? NaN),
      tbtMs: Math.round(report.audits['total-blocking-time']?.numericValue ?? NaN),
      jsKiB: Math.round(scripts.reduce((sum, r) => sum + (r.transferSize ?? 0), 0) / 1024),
      scripts: scripts.map((r) => ({
        file: path.basename(new URL(r.url ?? '', 'http://x').pathname),
        kib: kib(r.transferSize ?? 0),
      })),
    };
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** `--baseline DIR` taken out of the arguments (it is a path); the rest are numeric flags. */
function parseArgs(argv: string[]): { runs: number; baseline: string | null } {
  const rest: string[] = [];
  let baseline: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--baseline' || arg.startsWith('--baseline=')) {
      baseline = arg.includes('=') ? arg.slice('--baseline='.length) : (argv[++i] ?? '');
      if (!fs.existsSync(path.join(baseline, 'index.html')))
        throw new Error(`--baseline needs an H5 build's folder (no index.html in "${baseline}")`);
      baseline = path.resolve(baseline);
    } else rest.push(arg);
  }
  return { ...numericFlags(rest, { runs: 3 }), baseline };
}

/** The median run of each figure; the scripts of the run whose JavaScript total is the median. */
function summary(runs: PageFigures[]): PageFigures {
  const pick = (k: Figure) => median(runs.map((r) => r[k]));
  const jsKiB = pick('jsKiB');
  const scripts = runs.find((r) => r.jsKiB === jsKiB)?.scripts ?? [];
  return { score: pick('score'), lcpMs: pick('lcpMs'), tbtMs: pick('tbtMs'), jsKiB, scripts };
}

async function main() {
  const flags = parseArgs(process.argv.slice(2));
  const built = ensureH5BuildSync();
  if (built) log(`[bench] H5 app built in ${(built / 1000).toFixed(0)} s`);
  const services = await startBenchServices();
  let app: FastifyInstance | null = null;
  let baselineApp: FastifyInstance | null = null;
  try {
    await seedDatabase(services.db.uri, null);
    const config = benchConfig({
      mongoUri: services.db.uri,
      redisUri: services.redis.uri,
      wechatUrl: 'http://127.0.0.1:9',
      dataDir: services.tmpDir,
    });
    app = await buildApp(config);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    if (flags.baseline) baselineApp = await buildApp(config, { h5Dir: flags.baseline });
    const baselineBase = baselineApp ? await baselineApp.listen({ port: 0, host: '127.0.0.1' }) : null;
    const studio = await app.models.Studio.findOne({ active: true }, { _id: 1 }).sort({ sortOrder: 1 }).lean();
    if (!studio) throw new Error('the demo data has no studio');
    const pages = [
      {
        key: 'studio',
        label: 'studio landing (QR code)',
        // What the studio's H5 QR code opens (qrcodes/service.ts): the home page, which sends it on to
        // the studio page. (pages/studio/index reads `id`: with `studioId` it showed 没有找到这个委员工作室.)
        path: `/app/?studioId=${String(studio._id)}`,
        asks: `/api/v1/studios/${String(studio._id)}`,
      },
      { key: 'submit', label: 'submit page', path: `/app/pages/submit/index?studioId=${String(studio._id)}` },
      { key: 'home', label: 'home (studio list)', path: `/app/pages/index/index`, asks: '/api/v1/studios?' },
    ];
    log('码上商 pages benchmark — Lighthouse mobile (simulated throttling), chromium headless');
    log('machine:');
    log(formatMachine(describeMachine()));
    if (flags.baseline) log(`baseline: the H5 build in ${flags.baseline}, measured in turn with this checkout's`);
    // Lighthouse now and then loses its trace (NO_NAVSTART): one more try before giving up.
    const measure = (url: string, asks?: string) => lighthouse(url, asks).catch(() => lighthouse(url, asks));
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const results: Record<
      string,
      PageFigures & { runs: PageFigures[]; baseline?: PageFigures & { runs: PageFigures[] } }
    > = {};
    for (const page of pages) {
      const runs: PageFigures[] = [];
      const baselineRuns: PageFigures[] = [];
      for (let i = 0; i < flags.runs; i++) {
        // In turn, each going first every other run, so a busy moment weighs on both alike.
        const order = i % 2 === 0 ? ['current', 'baseline'] : ['baseline', 'current'];
        for (const which of order) {
          if (which === 'current') runs.push(await measure(`${base}${page.path}`, page.asks));
          else if (baselineBase) baselineRuns.push(await measure(`${baselineBase}${page.path}`, page.asks));
        }
      }
      const figures = summary(runs);
      const baseline = baselineRuns.length ? summary(baselineRuns) : null;
      results[page.key] = { ...figures, runs, ...(baseline ? { baseline: { ...baseline, runs: baselineRuns } } : {}) };
      log(
        `  ${page.label.padEnd(26)} score ${String(figures.score).padStart(3)} (goal ≥ ${GOALS.score}: ${verdict(figures.score >= GOALS.score)})  ` +
          `LCP ${(figures.lcpMs / 1000).toFixed(2)} s (≤ ${GOALS.lcpMs / 1000} s: ${verdict(figures.lcpMs <= GOALS.lcpMs)})  TBT ${figures.tbtMs} ms  ` +
          `JS ${figures.jsKiB} KiB (≤ ${GOALS.jsKiB}: ${verdict(figures.jsKiB <= GOALS.jsKiB)})  median of ${flags.runs}`,
      );
      log(`  ${''.padEnd(26)} scripts: ${figures.scripts.map((s) => `${s.file} ${s.kib}`).join(' · ')}`);
      if (baseline) {
        const ratio = (k: Figure) => (baseline[k] ? (figures[k] / baseline[k]).toFixed(2) : '-');
        log(
          `  ${'  baseline'.padEnd(26)} score ${String(baseline.score).padStart(3)}  LCP ${(baseline.lcpMs / 1000).toFixed(2)} s  ` +
            `TBT ${baseline.tbtMs} ms  JS ${baseline.jsKiB} KiB  → this/baseline: score ${ratio('score')}, LCP ${ratio('lcpMs')}, ` +
            `TBT ${ratio('tbtMs')}, JS ${ratio('jsKiB')}`,
        );
        log(`  ${''.padEnd(26)} scripts: ${baseline.scripts.map((s) => `${s.file} ${s.kib}`).join(' · ')}`);
      }
    }
    const dir = path.join(repoRoot, 'bench-results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pages-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          command: `npm run bench:pages -- --runs ${flags.runs}${flags.baseline ? ` --baseline ${flags.baseline}` : ''}`,
          lighthouse: LIGHTHOUSE,
          goals: GOALS,
          machine: describeMachine(),
          results,
        },
        null,
        2,
      ),
    );
    log(`results: ${path.relative(repoRoot, file)}`);
  } finally {
    await app?.close();
    await baselineApp?.close();
    await services.stop();
  }
}

runBench(main);
