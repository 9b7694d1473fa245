/** `npx tsx scripts/restore.ts <folder>`: restore a backup into the empty database at MONGODB_URI. */
import path from 'node:path';
import { restoreDatabase } from './lib/backup';

async function main() {
  const uri = process.env.MONGODB_URI;
  const from = process.argv[2];
  if (!uri || !from) throw new Error('usage: MONGODB_URI=... npx tsx scripts/restore.ts <backup folder>');
  const manifest = await restoreDatabase(uri, path.resolve(from));
  const total = Object.values(manifest.collections).reduce((a, b) => a + b, 0);
  process.stdout.write(`[restore] ${total} documents restored from the backup of ${manifest.createdAt}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[restore] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
