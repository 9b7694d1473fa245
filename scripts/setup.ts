/**
 * `npm run setup` (after `npm install`): make sure the local services can run.
 *  - database: MONGODB_URI, or mongod on PATH, or FerretDB built from source into .tools/bin
 *  - redis:    REDIS_URL, or redis-server on PATH (apt-get install when root)
 *  - chromium: for browser tests (apt-get install when root)
 *  - fonts: a font with Chinese glyphs for the browser (fonts-noto-cjk)
 * Idempotent: a second run only checks and takes seconds. Only Node built-ins are used.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  buildFerretDBBinary,
  ferretPatchLevel,
  findGo,
  FERRETDB_PATCH_LEVEL,
  FERRETDB_VERSION,
} from './lib/ferretdb-build';
import { ensureH5BuildSync, h5BuildState, H5_DIR } from './lib/h5-build';

const GO_MIN_VERSION = '1.24';

const repoRoot = path.resolve(__dirname, '..');
const toolsDir = path.join(repoRoot, '.tools');
const ferretBin = path.join(toolsDir, 'bin', 'ferretdb');

type Status = 'ok' | 'skipped' | 'installed' | 'built' | 'failed';
interface StepResult {
  name: string;
  status: Status;
  detail: string;
}

const results: StepResult[] = [];
const startedAt = Date.now();

function say(message: string): void {
  console.log(`[setup] ${message}`);
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Run a command with inherited stdio, printing it first. Returns the exit status. */
function run(command: string, args: string[], options: SpawnSyncOptions = {}): number {
  const cwd = options.cwd ? `(cd ${quote(String(options.cwd))} && ` : '';
  say(`$ ${cwd}${[command, ...args].map(quote).join(' ')}${cwd ? ')' : ''}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) {
    say(`  failed to run ${command}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

/** Run a command quietly and return its output (null when it cannot run). */
function capture(
  command: string,
  args: string[],
  options: SpawnSyncOptions = {},
): { status: number; stdout: string; stderr: string } | null {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) return null;
  return { status: result.status ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function which(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      if (fs.statSync(candidate).isFile()) {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return null;
}

function maskUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

// --------------------------------------------------------------------------- apt-get

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const aptGet = which('apt-get');
let aptUpdated = false;

/** Install a Debian package when we are root and apt-get exists; otherwise print the command. */
function aptInstall(pkg: string, extraArgs: string[] = []): { ok: boolean; detail: string } {
  if (!isRoot || !aptGet) {
    const why = !aptGet ? 'apt-get is not available' : 'not running as root';
    say(`  cannot install ${pkg} automatically (${why}). Run:`);
    say(`    sudo apt-get install -y ${pkg}`);
    say('  (or the equivalent for your system), then run `npm run setup` again.');
    return { ok: false, detail: `missing; run: sudo apt-get install -y ${pkg}` };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    if (run(aptGet, ['update'], { env }) !== 0) return { ok: false, detail: 'apt-get update failed' };
    aptUpdated = true;
  }
  if (run(aptGet, ['install', '-y', ...extraArgs, pkg], { env }) !== 0) {
    return { ok: false, detail: `apt-get install -y ${pkg} failed` };
  }
  return { ok: true, detail: `installed with apt-get (${pkg})` };
}

// --------------------------------------------------------------------------- database

function ferretdbVersion(binary: string): string | null {
  const out = capture(binary, ['--version']);
  if (!out || out.status !== 0) return null;
  const match = /version:\s*(\S+)/.exec(out.stdout);
  return match?.[1] ?? null;
}

function goInstallHint(): string[] {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : process.arch;
  const platform = process.platform === 'darwin' ? 'darwin' : 'linux';
  return [
    `Go ${GO_MIN_VERSION}+ is needed to build FerretDB ${FERRETDB_VERSION}. Install it, e.g.:`,
    `  curl -fsSL https://go.dev/dl/go1.24.3.${platform}-${arch}.tar.gz | sudo tar -C /usr/local -xz`,
    '  export PATH="$PATH:/usr/local/go/bin"',
    'then run `npm run setup` again.',
    'Alternatives: install MongoDB (mongod on PATH) or set MONGODB_URI to an existing server.',
  ];
}

function buildFerretDB(): StepResult {
  const go = findGo();
  if (!go) {
    for (const line of goInstallHint()) say(`  ${line}`);
    return { name: 'database', status: 'failed', detail: `Go ${GO_MIN_VERSION}+ missing (needed to build FerretDB)` };
  }
  const goVersion = capture(go, ['version'])?.stdout.trim() ?? 'unknown';
  say(`building FerretDB ${FERRETDB_VERSION} from source with ${goVersion} (about 1 minute the first time)`);
  const t0 = Date.now();

  const failure = buildFerretDBBinary({
    go,
    outFile: ferretBin,
    patched: true,
    buildDir: path.join(toolsDir, 'build', `ferretdb-${FERRETDB_VERSION}`),
    say: (line) => say(line),
  });
  if (failure) {
    say(`  ${failure}`);
    return { name: 'database', status: 'failed', detail: failure };
  }
  const version = ferretdbVersion(ferretBin);
  if (version !== FERRETDB_VERSION) {
    return {
      name: 'database',
      status: 'failed',
      detail: `built ${ferretBin} but it reports version ${String(version)}`,
    };
  }
  return {
    name: 'database',
    status: 'built',
    detail: `FerretDB ${version} (${FERRETDB_PATCH_LEVEL}) built into ${path.relative(repoRoot, ferretBin)} in ${seconds(Date.now() - t0)}`,
  };
}

function setupDatabase(): StepResult {
  say('database (MongoDB wire protocol)');
  const uri = process.env.MONGODB_URI;
  if (uri) {
    say(`  MONGODB_URI is set: the server will use ${maskUri(uri)}; nothing to install`);
    return { name: 'database', status: 'skipped', detail: `using MONGODB_URI (${maskUri(uri)})` };
  }
  const mongod = which('mongod');
  if (mongod) {
    say(`  found mongod at ${mongod}; it will be used`);
    return { name: 'database', status: 'ok', detail: `mongod at ${mongod}` };
  }
  const version = fs.existsSync(ferretBin) ? ferretdbVersion(ferretBin) : null;
  // A binary without this patch level (older, or built by hand) is rebuilt.
  const patchLevel = version ? ferretPatchLevel(ferretBin) : null;
  if (version === FERRETDB_VERSION && patchLevel === FERRETDB_PATCH_LEVEL) {
    say(`  no mongod; FerretDB ${version} (${patchLevel}) already built at ${path.relative(repoRoot, ferretBin)}`);
    return {
      name: 'database',
      status: 'ok',
      detail: `FerretDB ${version} with ${patchLevel} (${path.relative(repoRoot, ferretBin)})`,
    };
  }
  say(
    version === FERRETDB_VERSION
      ? `  ${path.relative(repoRoot, ferretBin)} lacks the ${FERRETDB_PATCH_LEVEL} patch: rebuilding`
      : version
        ? `  ${path.relative(repoRoot, ferretBin)} reports ${version}, expected ${FERRETDB_VERSION}: rebuilding`
        : '  no mongod on PATH and no FerretDB built yet',
  );
  return buildFerretDB();
}

// --------------------------------------------------------------------------- redis

function setupRedis(): StepResult {
  say('redis');
  const url = process.env.REDIS_URL;
  if (url) {
    say(`  REDIS_URL is set: the server will use ${maskUri(url)}; nothing to install`);
    return { name: 'redis', status: 'skipped', detail: `using REDIS_URL (${maskUri(url)})` };
  }
  let binary = which('redis-server');
  if (binary) {
    const version = capture(binary, ['--version'])?.stdout.trim() ?? '';
    say(`  found ${binary} ${version}`);
    return { name: 'redis', status: 'ok', detail: `redis-server at ${binary}` };
  }
  say('  redis-server not found on PATH');
  const installed = aptInstall('redis-server');
  if (!installed.ok) return { name: 'redis', status: 'failed', detail: installed.detail };
  binary = which('redis-server');
  if (!binary)
    return { name: 'redis', status: 'failed', detail: 'redis-server still not on PATH after apt-get install' };
  say('  note: the package may also start a system Redis service on port 6379; it is NOT used.');
  say('  `npm start` and the tests run their own redis-server on a private port and data folder.');
  return { name: 'redis', status: 'installed', detail: `redis-server at ${binary} (${installed.detail})` };
}

// --------------------------------------------------------------------------- chromium

function findChromium(): string | null {
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return which('chromium') ?? which('chromium-browser');
}

function setupChromium(): StepResult {
  say('chromium (browser tests)');
  let binary = findChromium();
  if (binary) {
    say(`  found ${binary}`);
    return { name: 'chromium', status: 'ok', detail: binary };
  }
  say('  chromium not found');
  // Headless tests need neither the printing/desktop helpers chromium recommends nor avahi.
  const installed = aptInstall('chromium', ['--no-install-recommends']);
  if (!installed.ok) return { name: 'chromium', status: 'failed', detail: installed.detail };
  binary = findChromium();
  if (!binary) return { name: 'chromium', status: 'failed', detail: 'chromium still not found after apt-get install' };
  return { name: 'chromium', status: 'installed', detail: `${binary} (${installed.detail})` };
}

// --------------------------------------------------------------------------- fonts

/** A font with Chinese glyphs, so the browser tests' screenshots (and printed pages) show text, not boxes. */
function hasChineseFont(): boolean {
  const result = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim().length > 0;
}

function setupFonts(): StepResult {
  say('fonts (Chinese text in the browser)');
  if (hasChineseFont()) {
    say('  found a font with Chinese glyphs');
    return { name: 'fonts', status: 'ok', detail: 'fc-list :lang=zh lists a font' };
  }
  say('  no font with Chinese glyphs');
  const installed = aptInstall('fonts-noto-cjk', ['--no-install-recommends']);
  if (!installed.ok) return { name: 'fonts', status: 'failed', detail: installed.detail };
  return { name: 'fonts', status: 'installed', detail: `fonts-noto-cjk (${installed.detail})` };
}

// --------------------------------------------------------------------------- main

/** The H5 app (residents' pages and the admin console under /app/), so `npm start` serves it at once. */
function setupH5(): StepResult {
  const state = h5BuildState();
  if (state === 'fresh')
    return { name: 'h5', status: 'ok', detail: `${path.relative(repoRoot, H5_DIR)} is newer than its sources` };
  say(`building the H5 app (${state === 'missing' ? 'not built yet' : 'older than its sources'}; about a minute)`);
  const ms = ensureH5BuildSync();
  return { name: 'h5', status: 'built', detail: `${path.relative(repoRoot, H5_DIR)} in ${seconds(ms)}` };
}

function main(): void {
  say(`repository: ${repoRoot}`);
  for (const step of [setupDatabase, setupRedis, setupChromium, setupFonts, setupH5]) {
    const t0 = Date.now();
    let result: StepResult;
    try {
      result = step();
    } catch (err) {
      result = {
        name: step.name.replace(/^setup/, '').toLowerCase(),
        status: 'failed',
        detail: (err as Error).message,
      };
    }
    say(`  -> ${result.status} (${seconds(Date.now() - t0)})`);
    results.push(result);
  }

  say('');
  say('summary:');
  for (const r of results) say(`  ${r.name.padEnd(9)} ${r.status.padEnd(9)} ${r.detail}`);
  say(`done in ${seconds(Date.now() - startedAt)}`);
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    say(
      `setup is incomplete (${failed.map((r) => r.name).join(', ')}): fix the items above and run \`npm run setup\` again.`,
    );
    process.exitCode = 1;
    return;
  }
  say('next: npm start   (API + private database and Redis under .data/)');
  say('      npm test    (each suite starts its own services on free ports)');
}

main();
