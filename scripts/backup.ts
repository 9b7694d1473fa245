/** `npx tsx scripts/backup.ts <folder>`: back up the database at MONGODB_URI (see docs/deploy.md). */
import path from 'node:path';
import { backupDatabase } from './lib/backup';

async function main() {
  const uri = process.env.MONGODB_URI;
  const out = process.argv[2];
  if (!uri || !out) throw new Error('usage: MONGODB_URI=... npx tsx scripts/backup.ts <output folder>');
  const manifest = await backupDatabase(uri, path.resolve(out));
  const total = Object.values(manifest.collections).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `[backup] ${total} documents in ${Object.keys(manifest.collections).length} collections written to ${path.resolve(out)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[backup] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
