import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import mongoose, { mongo } from 'mongoose';
import { registerModels } from '../../server/src/models';

const { EJSON } = mongo.BSON;

/** What a backup folder holds besides one `<collection>.ejsonl` file per collection. */
export interface BackupManifest {
  createdAt: string;
  database: string;
  collections: Record<string, number>;
}

/**
 * Writes every collection as canonical Extended JSON, one document per line, so types (ObjectId,
 * Date) survive exactly. Works against MongoDB and FerretDB alike (no mongodump needed).
 */
export async function backupDatabase(uri: string, outDir: string): Promise<BackupManifest> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const db = connection.db!;
    fs.mkdirSync(outDir, { recursive: true });
    const manifest: BackupManifest = {
      createdAt: new Date().toISOString(),
      database: db.databaseName,
      collections: {},
    };
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      const file = fs.createWriteStream(path.join(outDir, `${name}.ejsonl`));
      let count = 0;
      for await (const doc of db.collection(name).find().sort({ _id: 1 })) {
        if (!file.write(`${EJSON.stringify(doc, { relaxed: false })}\n`))
          await new Promise<void>((resolve) => file.once('drain', () => resolve()));
        count += 1;
      }
      await new Promise<void>((resolve, reject) =>
        file.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      manifest.collections[name] = count;
    }
    fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    return manifest;
  } finally {
    await connection.close();
  }
}

/**
 * Restores a backup into an EMPTY database (refuses otherwise, so nothing is overwritten by
 * accident), then builds the indexes the application declares.
 */
export async function restoreDatabase(uri: string, fromDir: string): Promise<BackupManifest> {
  const manifest = JSON.parse(fs.readFileSync(path.join(fromDir, 'manifest.json'), 'utf8')) as BackupManifest;
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const db = connection.db!;
    const existing = await db.listCollections({}, { nameOnly: true }).toArray();
    for (const { name } of existing) {
      if ((await db.collection(name).estimatedDocumentCount()) > 0) {
        throw new Error(
          `database "${db.databaseName}" is not empty (collection ${name}); restore only into an empty database`,
        );
      }
    }
    for (const [name, expected] of Object.entries(manifest.collections)) {
      const lines = readline.createInterface({
        input: fs.createReadStream(path.join(fromDir, `${name}.ejsonl`)),
        crlfDelay: Infinity,
      });
      let batch: mongo.Document[] = [];
      let restored = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await db.collection(name).insertMany(batch, { ordered: true });
        restored += batch.length;
        batch = [];
      };
      for await (const line of lines) {
        if (!line.trim()) continue;
        batch.push(EJSON.parse(line, { relaxed: false }) as mongo.Document);
        if (batch.length >= 500) await flush();
      }
      await flush();
      if (restored !== expected)
        throw new Error(`collection ${name}: restored ${restored} documents, the backup lists ${expected}`);
    }
    const models = registerModels(connection);
    await Promise.all(Object.values(models).map((model) => model.init()));
    return manifest;
  } finally {
    await connection.close();
  }
}
