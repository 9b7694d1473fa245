/**
 * After `taro build --type weapp`: prints the size of the main package and of each subpackage,
 * as WeChat counts them (every file under the package's root; the main package is everything
 * outside the subpackage roots), and fails when the main package passes our 1 MB budget or a
 * subpackage passes WeChat's 2 MB limit.
 */
import fs from 'node:fs';
import path from 'node:path';

const MAIN_PACKAGE_BUDGET = 1024 * 1024;
/** WeChat refuses to upload a subpackage over 2 MB (the admin dashboard's charts live in one). */
const SUBPACKAGE_LIMIT = 2048 * 1024;
const distDir = path.resolve(__dirname, '../dist/weapp');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

export function packageSizes(dist: string): { main: number; subpackages: Record<string, number> } {
  const appJson = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8')) as {
    subPackages?: { root: string }[];
    subpackages?: { root: string }[];
  };
  const roots = (appJson.subPackages ?? appJson.subpackages ?? []).map((sub) => sub.root.replace(/\/$/, ''));
  const subpackages: Record<string, number> = Object.fromEntries(roots.map((root) => [root, 0]));
  let main = 0;
  for (const file of filesUnder(dist)) {
    const relative = path.relative(dist, file).split(path.sep).join('/');
    // DevTools' own files are not uploaded.
    if (
      relative === 'project.config.json' ||
      relative === 'project.private.config.json' ||
      relative.endsWith('.LICENSE.txt') ||
      relative.endsWith('.map')
    )
      continue;
    const size = fs.statSync(file).size;
    const root = roots.find((r) => relative.startsWith(`${r}/`));
    if (root) subpackages[root] = (subpackages[root] ?? 0) + size;
    else main += size;
  }
  return { main, subpackages };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (require.main === module) {
  const { main, subpackages } = packageSizes(distDir);
  const lines = [
    `weapp package sizes (${distDir}):`,
    `  main package       ${kb(main)}  (budget ${kb(MAIN_PACKAGE_BUDGET)}, WeChat limit 2048.0 KB)`,
  ];
  for (const [root, size] of Object.entries(subpackages))
    lines.push(`  subpackage ${root.padEnd(8)} ${kb(size)}  (WeChat limit ${kb(SUBPACKAGE_LIMIT)})`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const over = Object.entries(subpackages).filter(([, size]) => size > SUBPACKAGE_LIMIT);
  for (const [root] of over)
    process.stderr.write(`subpackage ${root} is over WeChat's ${kb(SUBPACKAGE_LIMIT)} limit\n`);
  if (main > MAIN_PACKAGE_BUDGET) process.stderr.write(`main package is over the ${kb(MAIN_PACKAGE_BUDGET)} budget\n`);
  if (over.length > 0 || main > MAIN_PACKAGE_BUDGET) process.exit(1);
}
