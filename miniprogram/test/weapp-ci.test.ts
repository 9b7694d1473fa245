/**
 * The weapp build passes WeChat's own compiler and its 代码质量 panel (miniprogram-ci), offline:
 * what DevTools would refuse to upload, or flag, fails here. One production build (reused when newer
 * than the sources) and one miniprogram-ci run serve every test.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXPECTED_CHECKS, qualityFailures, type WeappCiReport } from '../scripts/weapp-ci';
import { packageSizes } from '../scripts/weapp-size';
import { configuredAppid, ensureWeappBuild, WEAPP_DIR } from './helpers/weapp-build';

const MAIN_PACKAGE_BUDGET = 1024 * 1024;

let report: WeappCiReport;
let ciOutput = '';

beforeAll(() => {
  ensureWeappBuild();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-ci-report-'));
  try {
    const reportPath = path.join(tmp, 'report.json');
    // Its own process: miniprogram-ci leaves a file watcher open, which would keep Jest from exiting.
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/weapp-ci.ts', WEAPP_DIR, '--json', reportPath],
      {
        cwd: path.resolve(__dirname, '..'),
        encoding: 'utf8',
        timeout: 12 * 60_000,
      },
    );
    ciOutput = `${run.stdout}\n${run.stderr}`;
    if (!fs.existsSync(reportPath))
      throw new Error(
        `miniprogram-ci produced no report (exit ${run.status}, ${run.error?.message ?? ''}):\n${ciOutput}`,
      );
    report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as WeappCiReport;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 25 * 60_000);

function appPages(): string[] {
  const appJson = JSON.parse(fs.readFileSync(path.join(WEAPP_DIR, 'app.json'), 'utf8')) as {
    pages: string[];
    subPackages?: { root: string; pages: string[] }[];
    subpackages?: { root: string; pages: string[] }[];
  };
  const subpackages = appJson.subPackages ?? appJson.subpackages ?? [];
  return [...appJson.pages, ...subpackages.flatMap((sub) => sub.pages.map((page) => path.posix.join(sub.root, page)))];
}

test("WeChat's compiler accepts the build and compiles every page of app.json", () => {
  expect(report.compileError).toBeNull();
  const compiled = new Set(report.compiledFiles);
  const pages = appPages();
  // The residents' pages and both subpackages (member/, admin/) are there.
  expect(pages).toEqual(expect.arrayContaining(['pages/index/index', 'pages/submit/index']));
  expect(pages.some((page) => page.startsWith('member/'))).toBe(true);
  expect(pages.some((page) => page.startsWith('admin/'))).toBe(true);
  const missing = [
    'app.js',
    'app.json',
    ...pages.flatMap((page) => ['js', 'json', 'wxml'].map((ext) => `${page}.${ext}`)),
  ].filter((file) => !compiled.has(file));
  expect(missing).toEqual([]);
});

test('what would be uploaded is compressed (JS, WXSS and WXML)', () => {
  expect(report.compileError).toBeNull();
  expect(report.compiledFiles?.some((file) => file.endsWith('.wxml'))).toBe(true);
  expect(report.uncompressedFiles).toEqual([]);
});

test('every check of the 代码质量 panel passes', () => {
  expect(report.checks.map((check) => check.name)).toEqual(expect.arrayContaining([...EXPECTED_CHECKS]));
  // One line per failed check, by name, with what the panel lists.
  expect(qualityFailures(report)).toEqual([]);
});

test('the main package stays within the 1 MB budget, below WeChat’s own limit', () => {
  const { main, subpackages } = packageSizes(WEAPP_DIR);
  expect(main).toBeLessThanOrEqual(MAIN_PACKAGE_BUDGET);
  expect(Object.keys(subpackages)).toEqual(expect.arrayContaining(['admin', 'member']));
  const sizeCheck = report.checks.find((check) => check.name === 'PACKAGE_SIZE_LIMIT');
  expect((sizeCheck?.detail as Record<string, number> | undefined)?.__APP__).toBeLessThanOrEqual(MAIN_PACKAGE_BUDGET);
});

test('the build carries the configured appid', () => {
  expect(report.appid).toBe(configuredAppid());
});

afterAll(() => {
  // On failure, miniprogram-ci's own log says more (which file the compiler choked on).
  if (report && (report.compileError || qualityFailures(report).length > 0)) process.stderr.write(ciOutput);
});
