/**
 * Runs WeChat's own tools (the official `miniprogram-ci` package) on the weapp build, offline:
 *  - getCompiledResult: compiles WXML/WXSS/JSON/JS as WeChat DevTools does before an upload and
 *    throws on what the phone would reject;
 *  - checkCodeQuality: the DevTools "代码质量" panel (package size, compression, lazy code loading,
 *    images and audio ≤ 200 KB, main-package code used only by subpackages, unused components/files).
 *
 * Usage (after `npm run build:weapp`): tsx scripts/weapp-ci.ts [distDir] [--json report.json]
 * Prints every check with its result; exits 1 when the compile fails or a check fails.
 *
 * No network: the project's attributes (normally fetched from WeChat with the upload key) are
 * replaced by miniprogram-ci's defaults, the key is a throwaway RSA key, and its one other request
 * (the uploadable file extensions) goes to a closed local port so that it falls back to the
 * built-in list. It runs as its own process because miniprogram-ci leaves a file watcher open.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface CheckResult {
  name: string;
  success: boolean;
  text?: string;
  detail?: unknown;
}

export interface WeappCiReport {
  appid: string;
  /** Paths of the files WeChat's compiler produced, or null when it threw. */
  compiledFiles: string[] | null;
  /** Compiled JS/WXSS/WXML files that still have indented lines, i.e. were not compressed. */
  uncompressedFiles: string[];
  compileError: string | null;
  checks: CheckResult[];
  /** What the quality checkers threw: miniprogram-ci counts a checker that throws as passed. */
  checkerErrors: string[];
}

/** Every check of the DevTools panel that applies to a mini-program without plugins. */
export const EXPECTED_CHECKS = [
  'PACKAGE_SIZE_LIMIT',
  'JS_COMPRESS_OPEN',
  'WXML_COMPRESS_OPEN',
  'WXSS_COMPRESS_OPEN',
  'LAZYCODE_LOADING_OPEN',
  'IMAGE_AND_AUDIO_LIMIT',
  'CONTAINS_OTHER_PKG_JS',
  'CONTAINS_OTHER_PKG_COMPONENTS',
  'CONTAINS_UNUSED_PLUGINS',
  'CONTAINS_UNUSED_COMPONENTS',
  'CONTAINS_UNUSED_CODES',
] as const;

function listedFiles(detail: unknown): unknown[] {
  if (Array.isArray(detail)) return detail;
  if (detail && typeof detail === 'object' && Array.isArray((detail as { files?: unknown }).files))
    return (detail as { files: unknown[] }).files;
  return [];
}

/**
 * The failed checks, one line each, named. Stricter than miniprogram-ci's own verdict in two
 * places where its checker always answers "passed": main-package components used only by
 * subpackages, and unused code files (only enforced there when the project turns off
 * ignoreUploadUnusedFiles). The panel lists those files either way, so a listed file fails here.
 */
export function qualityFailures(report: WeappCiReport): string[] {
  const failures: string[] = [];
  const byName = new Map(report.checks.map((check) => [check.name, check]));
  for (const name of EXPECTED_CHECKS) if (!byName.has(name)) failures.push(`${name}: not run`);
  for (const check of report.checks) {
    const listed =
      check.name === 'CONTAINS_OTHER_PKG_COMPONENTS' || check.name === 'CONTAINS_UNUSED_CODES'
        ? listedFiles(check.detail)
        : [];
    if (!check.success || listed.length > 0)
      failures.push(`${check.name}: ${check.text ?? ''} ${JSON.stringify(check.detail ?? null)}`);
  }
  for (const error of report.checkerErrors) failures.push(`checker error: ${error}`);
  return failures;
}

/** A local port that nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function runWeappCi(distDir: string): Promise<WeappCiReport> {
  // Loaded here so that importing this module (for qualityFailures) does not load 100 MB of tools.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ci = require('miniprogram-ci') as typeof import('miniprogram-ci');
  ci.proxy(`http://127.0.0.1:${await closedPort()}`);
  // The Chinese texts state each requirement; the English ones read as failures even when met.
  ci.locales.setLocale('zh');

  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-ci-'));
  try {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const privateKeyPath = path.join(keyDir, 'private.key');
    fs.writeFileSync(privateKeyPath, privateKey, { mode: 0o600 });
    const { appid } = JSON.parse(fs.readFileSync(path.join(distDir, 'project.config.json'), 'utf8')) as {
      appid: string;
    };
    const project = new ci.Project({
      appid,
      type: 'miniProgram',
      projectPath: distDir,
      privateKeyPath,
      ignores: ['node_modules/**/*'],
    });
    project.attr = async () => ci.DefaultProjectAttr;

    let compiledFiles: string[] | null = null;
    const uncompressedFiles: string[] = [];
    let compileError: string | null = null;
    try {
      // useProjectConfig: compile with the settings an upload from DevTools would use (minification, es6).
      const result = await ci.getCompiledResult({
        project,
        version: '0.0.0',
        setting: { useProjectConfig: true },
        onProgressUpdate: () => undefined,
      });
      compiledFiles = Object.keys(result).sort();
      for (const file of compiledFiles) {
        if (!/\.(js|wxss|wxml)$/.test(file)) continue;
        // Whitespace inside <text> is shown to the user, so WeChat's WXML minifier keeps it.
        const code = file.endsWith('.wxml')
          ? result[file]!.toString().replace(/<text[\s>][\s\S]*?<\/text>/g, '')
          : result[file]!.toString();
        if (/\n[ \t]+\S/.test(code)) uncompressedFiles.push(file);
      }
    } catch (error) {
      compileError =
        error instanceof Error
          ? `${error.message}${'code' in error ? ` (code ${String(error.code)})` : ''}`
          : String(error);
    }

    // miniprogram-ci reports a checker that threw only through console.error (and counts it as passed).
    /* eslint-disable no-console */
    const checkerErrors: string[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => {
      checkerErrors.push(args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' '));
    };
    let checks: CheckResult[];
    try {
      checks = (await ci.checkCodeQuality(project)).map(({ name, success, text, detail }) => ({
        name: name ?? '',
        success: Boolean(success),
        text,
        detail,
      }));
    } finally {
      console.error = consoleError;
    }
    /* eslint-enable no-console */
    return { appid, compiledFiles, uncompressedFiles, compileError, checks, checkerErrors };
  } finally {
    fs.rmSync(keyDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonPath = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
  const distDir = path.resolve(args[0] ?? path.resolve(__dirname, '../dist/weapp'));
  const report = await runWeappCi(distDir);
  if (jsonPath) fs.writeFileSync(jsonPath, JSON.stringify(report, null, 2));
  const failures = qualityFailures(report);
  const lines = [
    `WeChat compile (${distDir}, appid ${report.appid}): ${report.compileError ? `FAILED ${report.compileError}` : `ok, ${report.compiledFiles?.length ?? 0} files`}`,
  ];
  for (const check of report.checks) {
    const failed = failures.some((failure) => failure.startsWith(`${check.name}:`));
    lines.push(`  ${failed ? 'FAIL' : 'pass'}  ${check.name.padEnd(30)} ${check.text ?? ''}`);
  }
  for (const failure of failures)
    if (failure.startsWith('checker error') || failure.endsWith('not run')) lines.push(`  FAIL  ${failure}`);
  for (const file of report.uncompressedFiles) lines.push(`  FAIL  compiled ${file} is not compressed`);
  process.stdout.write(`${lines.join('\n')}\n`);
  // miniprogram-ci leaves a file watcher open: leave explicitly.
  process.exit(report.compileError || failures.length > 0 || report.uncompressedFiles.length > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  });
}
