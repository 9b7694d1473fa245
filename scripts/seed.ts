/**
 * `npm run seed`: inserts the demo data that is missing. Uses MONGODB_URI when set; otherwise
 * the embedded database of DATA_DIR (started for the moment, unless `npm start` holds it).
 */
import path from 'node:path';
import { acquireDataDirLock, repoRoot, startDatabase } from './services';
import { seedDatabase } from './lib/seed-database';

async function main() {
  const adminPassword = process.env.ADMIN_PASSWORD ?? null;
  if (process.env.MONGODB_URI) {
    const summary = await seedDatabase(process.env.MONGODB_URI, adminPassword);
    process.stdout.write(`[seed] ${summary.studios} studios, ${summary.members} members present\n`);
    return;
  }
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(repoRoot, '.data'));
  const lock = await acquireDataDirLock(dataDir).catch((error: Error) => {
    throw new Error(`${error.message}\n  npm start seeds the demo data itself; stop it first to seed by hand.`);
  });
  const db = await startDatabase({ dataDir: path.join(dataDir, 'db'), dbName: 'mashangshang' });
  try {
    const summary = await seedDatabase(db.uri, adminPassword);
    process.stdout.write(`[seed] ${summary.studios} studios, ${summary.members} members present in ${db.dataDir}\n`);
  } finally {
    await db.stop();
    await lock.release();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[seed] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
