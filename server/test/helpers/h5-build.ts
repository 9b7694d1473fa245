import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { newestMtime } from '../../../scripts/lib/files';
import { withBuildLock } from '../../../scripts/lib/build-lock';

const miniprogramDir = path.resolve(__dirname, '../../../miniprogram');
export const H5_DIR = path.join(miniprogramDir, 'dist/h5');

/**
 * Builds the H5 app unless a build newer than every source file (the mini-program's and shared's)
 * is already there. Returns how long the build took, 0 when it was reused. The browser suites run
 * side by side: one at a time checks and builds (the others wait, then find it fresh), so no suite
 * serves dist/h5 while another is rebuilding it.
 */
export function ensureH5Build(): number {
  return withBuildLock('h5-build', () => {
    const index = path.join(H5_DIR, 'index.html');
    const sources = Math.max(
      newestMtime(path.join(miniprogramDir, 'src')),
      newestMtime(path.join(miniprogramDir, 'config')),
      newestMtime(path.resolve(miniprogramDir, '../shared/src')),
    );
    if (fs.existsSync(index) && fs.statSync(index).mtimeMs > sources) return 0;
    const started = Date.now();
    execFileSync('npm', ['run', 'build:h5'], { cwd: miniprogramDir, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
    return Date.now() - started;
  });
}
