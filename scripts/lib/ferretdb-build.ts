import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

/**
 * Two small changes to FerretDB 1.24.2's SQLite backend, applied to its source before the build, so
 * a lookup or update by `_id` uses the unique `_id` index FerretDB creates instead of reading (and
 * JSON-parsing) every row: upstream queries `_ferretdb_sjson->'$._id'` while its index is on
 * `_ferretdb_sjson->"_id"`, and SQLite matches index expressions by their text (measured: 241 ms per
 * `_id` lookup at 40 000 tickets; profiled under the notify bench: 68 % of FerretDB's CPU parsing rows'
 * JSON for it). Same results: the same value is compared, and FerretDB still applies the whole
 * filter itself to what SQLite returns (which is why a filter with other conditions beside `_id` may
 * be narrowed by `_id` first). `npm run bench:lookup` measures both builds.
 */
export const FERRETDB_PATCHES: { file: string; from: string; to: string; times: number }[] = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + `->"_id"`',
    times: 1,
  },
  {
    // Query and Explain: narrow by `_id` whenever the filter has `_id` equal to a string or ObjectId.
    file: 'internal/backends/sqlite/collection.go',
    from: '\tif params.Filter.Len() == 1 {\n\t\tv, _ := params.Filter.Get("_id")',
    to: '\tif params.Filter.Len() >= 1 {\n\t\tv, _ := params.Filter.Get("_id")',
    times: 2,
  },
];
/** Written beside a patched binary (`<binary>.patches`); setup rebuilds a binary without it. */
export const FERRETDB_PATCH_LEVEL = 'sqlite-id-index-1';

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
  /** Apply FERRETDB_PATCHES (false: upstream as published, for the lookup bench's baseline). */
  patched: boolean;
  /** A scratch folder for the copied source; removed after a successful build. */
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
  if (download.error || download.status !== 0 || !moduleDir) return `go mod download of FerretDB failed (network?): ${String(download.stdout ?? download.error?.message ?? '').trim()}`;

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
    for (const patch of FERRETDB_PATCHES) {
      const file = path.join(buildDir, patch.file);
      const source = fs.readFileSync(file, 'utf8');
      const found = source.split(patch.from).length - 1;
      if (found !== patch.times) return `FerretDB source not as expected, not patched: ${patch.file} has ${found} occurrence(s) of ${JSON.stringify(patch.from)}, expected ${patch.times}`;
      say(`  patch ${patch.file}: ${JSON.stringify(patch.from)} → ${JSON.stringify(patch.to)}`);
      fs.writeFileSync(file, source.split(patch.from).join(patch.to));
    }
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
  fs.rmSync(buildDir, { recursive: true, force: true });
  return null;
}
