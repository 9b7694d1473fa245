import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

/**
 * Our patch set for FerretDB 1.24.2 (scripts/ferretdb/, see its README): files under `overlay/` are
 * copied into the module source as they are (new files: the SQLite pushdown and its tests), and the
 * unified diffs under `patches/` are applied in name order with `git apply` (anchored edits to
 * upstream files, and the go.mod/go.sum of the newer SQLite). A diff that no longer applies fails the
 * build loudly instead of building something else.
 */
const FERRETDB_PATCH_DIR = path.join(__dirname, '..', 'ferretdb');

function patchSetFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(full);
    }
  };
  for (const sub of ['overlay', 'patches'])
    if (fs.existsSync(path.join(FERRETDB_PATCH_DIR, sub))) walk(path.join(FERRETDB_PATCH_DIR, sub));
  return out;
}

/** Written beside a patched binary (`<binary>.patches`): the hash of the patch set; setup rebuilds a binary whose stamp differs. */
export const FERRETDB_PATCH_LEVEL = (() => {
  const hash = createHash('sha256');
  // This file too: how the patch set is applied is part of what was built.
  for (const file of [...patchSetFiles(), __filename])
    hash.update(path.relative(FERRETDB_PATCH_DIR, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return `pushdown-${hash.digest('hex').slice(0, 12)}`;
})();

const patchStampOf = (binary: string) => `${binary}.patches`;

/** The patch level a FerretDB binary was built with by buildFerretDBBinary, or null (upstream, or not ours). */
export function ferretPatchLevel(binary: string): string | null {
  const stamp = patchStampOf(binary);
  return fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : null;
}

export interface FerretBuildOptions {
  go: string;
  /** Where the binary goes (built under a temporary name, then moved: an interrupted build leaves none). */
  outFile: string;
  /** Apply the patch set under scripts/ferretdb/ (false: upstream as published, for the lookup bench's baseline). */
  patched: boolean;
  /** The folder for the copied (and patched) source; kept after the build, so `go test` can run the patch's tests there. */
  buildDir: string;
  say: (line: string) => void;
}

/** `go` on PATH, or where Go's own installer puts it. */
export function findGo(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'go');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  const usual = '/usr/local/go/bin/go';
  return fs.existsSync(usual) ? usual : null;
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

function makeWritable(dir: string): void {
  // Module cache files are read-only; equivalent of `chmod -R u+w`.
  const stat = fs.lstatSync(dir);
  if (stat.isSymbolicLink()) return;
  fs.chmodSync(dir, stat.mode | 0o200);
  if (stat.isDirectory()) for (const entry of fs.readdirSync(dir)) makeWritable(path.join(dir, entry));
}

/**
 * Builds FerretDB from its module source: `go install …@v1.24.2` alone leaves
 * build/version/version.txt empty and the binary panics at start, so the source is copied, the
 * version stamped, the patches applied (unless `patched` is false) and `go build` run; a patched
 * binary gets its stamp (ferretPatchLevel). Each command is printed. Returns null when built, else what went wrong.
 */
export function buildFerretDBBinary(opts: FerretBuildOptions): string | null {
  const { go, say } = opts;
  say(`$ ${go} mod download -json ${FERRETDB_MODULE}@${FERRETDB_VERSION}`);
  const download = spawnSync(go, ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  let moduleDir: string | undefined;
  try {
    moduleDir = (JSON.parse(download.stdout ?? '') as { Dir?: string }).Dir;
  } catch {
    moduleDir = undefined;
  }
  if (download.error || download.status !== 0 || !moduleDir)
    return `go mod download of FerretDB failed (network?): ${String(download.stdout ?? download.error?.message ?? '').trim()}`;

  const { buildDir } = opts;
  say(`$ rm -rf ${quote(buildDir)} && cp -r ${quote(moduleDir)} ${quote(buildDir)} && chmod -R u+w ${quote(buildDir)}`);
  fs.rmSync(buildDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(buildDir), { recursive: true });
  fs.cpSync(moduleDir, buildDir, { recursive: true });
  makeWritable(buildDir);
  const versionFile = path.join(buildDir, 'build', 'version', 'version.txt');
  say(`$ echo ${FERRETDB_VERSION} > ${quote(versionFile)}`);
  fs.writeFileSync(versionFile, `${FERRETDB_VERSION}\n`);

  if (opts.patched) {
    const failure = applyPatchSet(buildDir, say);
    if (failure) return failure;
  }

  fs.mkdirSync(path.dirname(opts.outFile), { recursive: true });
  const tmpBin = `${opts.outFile}.partial`;
  const args = ['build', '-buildvcs=false', '-trimpath', '-o', tmpBin, './cmd/ferretdb'];
  say(`$ (cd ${quote(buildDir)} && ${[go, ...args].map(quote).join(' ')})`);
  const built = spawnSync(go, args, { cwd: buildDir, stdio: 'inherit' });
  if (built.error || built.status !== 0) {
    fs.rmSync(tmpBin, { force: true });
    return `go build of FerretDB failed (exit ${String(built.status ?? built.error?.message)}); build folder kept: ${buildDir}`;
  }
  fs.renameSync(tmpBin, opts.outFile);
  if (opts.patched) fs.writeFileSync(patchStampOf(opts.outFile), `${FERRETDB_PATCH_LEVEL}\n`);
  else fs.rmSync(patchStampOf(opts.outFile), { force: true });
  return null;
}

/** Copies overlay/ into the source tree and applies patches/*.patch in order; null when done, else what failed. */
function applyPatchSet(sourceDir: string, say: (line: string) => void): string | null {
  const overlay = path.join(FERRETDB_PATCH_DIR, 'overlay');
  for (const file of patchSetFiles().filter((f) => f.startsWith(overlay + path.sep))) {
    const rel = path.relative(overlay, file);
    say(`  add ${rel}`);
    fs.mkdirSync(path.dirname(path.join(sourceDir, rel)), { recursive: true });
    fs.copyFileSync(file, path.join(sourceDir, rel));
  }
  for (const file of patchSetFiles().filter((f) => f.endsWith('.patch'))) {
    say(`$ (cd ${quote(sourceDir)} && git apply ${quote(file)})`);
    // Outside any repository (the ceiling stops git from finding ours above .tools/build): inside one,
    // git apply silently skips the paths that are not under the current folder of that repository.
    const applied = spawnSync('git', ['apply', '--verbose', '--whitespace=nowarn', file], {
      cwd: sourceDir,
      encoding: 'utf8',
      env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(sourceDir) },
    });
    if (applied.error || applied.status !== 0)
      return `FerretDB source not as expected, not patched: ${path.basename(file)} does not apply: ${String(applied.stderr || applied.error?.message).trim()}`;
    const files = (fs.readFileSync(file, 'utf8').match(/^diff --git /gm) ?? []).length;
    const done = (applied.stderr.match(/^Applied patch .* cleanly\.$/gm) ?? []).length;
    if (done !== files)
      return `FerretDB not patched: ${path.basename(file)} changes ${files} file(s) but git apply patched ${done}: ${applied.stderr.trim()}`;
  }
  return null;
}
