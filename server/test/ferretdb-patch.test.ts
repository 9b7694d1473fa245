import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/services';
import { FERRETDB_PATCH_LEVEL, FERRETDB_VERSION, findGo } from '../../scripts/lib/ferretdb-build';

/**
 * The Go tests of our FerretDB patch set (scripts/ferretdb/: the pushdown's SQL and its traps, the
 * plans, the WAL guard), run with `go test` in the patched source that setup keeps, beside the
 * upstream tests of the same packages (which must still pass with the newer SQLite).
 */

const SOURCE = path.join(repoRoot, '.tools', 'build', `ferretdb-${FERRETDB_VERSION}`);
const STAMP = path.join(repoRoot, '.tools', 'bin', 'ferretdb.patches');

describe('FerretDB patch set (go test)', () => {
  it('the patched source is the patch set as it stands', () => {
    if (!fs.existsSync(SOURCE))
      throw new Error(
        `${SOURCE} missing: run \`npm run setup\` (it builds FerretDB and keeps its patched source); this test does not skip`,
      );
    expect(fs.readFileSync(STAMP, 'utf8').trim()).toBe(FERRETDB_PATCH_LEVEL);
  });

  it('passes the Go tests of the SQLite backend, its metadata and its pool', () => {
    const go = findGo();
    if (!go) throw new Error('Go missing: `npm run setup` says how to install it');
    const run = spawnSync(go, ['test', '-count=1', './internal/backends/sqlite/...'], {
      cwd: SOURCE,
      encoding: 'utf8',
      // The upstream tests log every SQL statement; only the verdicts are kept below.
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, GOFLAGS: '-buildvcs=false' },
    });
    const verdicts = `${run.stdout}\n${run.stderr}`
      .split('\n')
      .filter((line) => /^(ok|FAIL|--- FAIL|panic|#|\S+\.go:\d+)/.test(line));
    if (run.status !== 0) throw new Error(`go test failed:\n${verdicts.join('\n')}`);
    // The three packages, each with a verdict; our own tests are among them.
    expect(verdicts.filter((line) => line.startsWith('ok '))).toHaveLength(3);
    const list = spawnSync(go, ['test', '-list', 'Pushdown|WALGuard', './internal/backends/sqlite/...'], {
      cwd: SOURCE,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(list.stdout).toMatch(/TestPushdownArraysAreNeverMissed/);
    expect(list.stdout).toMatch(/TestWALGuard/);
  }, 600_000);
});
