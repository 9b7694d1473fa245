/**
 * `npm run bench:pages [-- --runs 3]`: a resident's first contact as Lighthouse 12.2.3 measures it on
 * a simulated phone (mobile form factor, its default slow-4G and CPU throttling), in Debian's chromium:
 * the studio landing (where a QR code opens), the submit page and the home page's studio list.
 * Prints each page's performance score, LCP, TBT and JavaScript transferred (the median of `--runs`),
 * beside the goals (score ≥ 90, LCP ≤ 2.5 s, JavaScript ≤ 200 KiB compressed), and writes JSON to
 * bench-results/. The API serves the H5 build as `npm start` does (built first if stale); Lighthouse
 * is fetched by npx at its pinned version (it is not a dependency of the product).
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
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** One Lighthouse run (asynchronous: the API answering it lives in this process). */
async function lighthouse(url: string): Promise<PageFigures> {
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
        { numericValue?: number; details?: { items?: { resourceType?: string; transferSize?: number }[] } }
      >;
    };
    const requests = report.audits['network-requests']?.details?.items ?? [];
    return {
      score: Math.round((report.categories.performance.score ?? 0) * 100),
      lcpMs: Math.round(report.audits['largest-contentful-paint']?.numericValue ?? NaN),
      tbtMs: Math.round(report.audits['total-blocking-time']?.numericValue ?? NaN),
      jsKiB: Math.round(
        requests.filter((r) => r.resourceType === 'Script').reduce((sum, r) => sum + (r.transferSize ?? 0), 0) / 1024,
      ),
    };
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function main() {
  const flags = numericFlags(process.argv.slice(2), { runs: 3 });
  const built = ensureH5BuildSync();
  if (built) log(`[bench] H5 app built in ${(built / 1000).toFixed(0)} s`);
  const services = await startBenchServices();
  let app: FastifyInstance | null = null;
  try {
    await seedDatabase(services.db.uri, null);
    app = await buildApp(
      benchConfig({
        mongoUri: services.db.uri,
        redisUri: services.redis.uri,
        wechatUrl: 'http://127.0.0.1:9',
        dataDir: services.tmpDir,
      }),
    );
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const studio = await app.models.Studio.findOne({ active: true }, { _id: 1 }).sort({ sortOrder: 1 }).lean();
    if (!studio) throw new Error('the demo data has no studio');
    const pages = [
      {
        key: 'studio',
        label: 'studio landing (QR code)',
        url: `${base}/app/pages/studio/index?studioId=${String(studio._id)}`,
      },
      { key: 'submit', label: 'submit page', url: `${base}/app/pages/submit/index?studioId=${String(studio._id)}` },
      { key: 'home', label: 'home (studio list)', url: `${base}/app/pages/index/index` },
    ];
    log('码上商 pages benchmark — Lighthouse mobile (simulated throttling), chromium headless');
    log('machine:');
    log(formatMachine(describeMachine()));
    const results: Record<string, PageFigures & { runs: PageFigures[] }> = {};
    for (const page of pages) {
      const runs: PageFigures[] = [];
      for (let i = 0; i < flags.runs; i++) {
        // Lighthouse now and then loses its trace (NO_NAVSTART): one more try before giving up.
        runs.push(await lighthouse(page.url).catch(() => lighthouse(page.url)));
      }
      const pick = (k: keyof PageFigures) => median(runs.map((r) => r[k]));
      const figures = { score: pick('score'), lcpMs: pick('lcpMs'), tbtMs: pick('tbtMs'), jsKiB: pick('jsKiB') };
      results[page.key] = { ...figures, runs };
      const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
      log(
        `  ${page.label.padEnd(26)} score ${String(figures.score).padStart(3)} (goal ≥ ${GOALS.score}: ${verdict(figures.score >= GOALS.score)})  ` +
          `LCP ${(figures.lcpMs / 1000).toFixed(1)} s (≤ ${GOALS.lcpMs / 1000} s: ${verdict(figures.lcpMs <= GOALS.lcpMs)})  TBT ${figures.tbtMs} ms  ` +
          `JS ${figures.jsKiB} KiB (≤ ${GOALS.jsKiB}: ${verdict(figures.jsKiB <= GOALS.jsKiB)})  median of ${flags.runs}`,
      );
    }
    const dir = path.join(repoRoot, 'bench-results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pages-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          command: `npm run bench:pages -- --runs ${flags.runs}`,
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
    await services.stop();
  }
}

runBench(main);
