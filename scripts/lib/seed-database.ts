import mongoose from 'mongoose';
import { registerModels } from '../../server/src/models';
import { seedDemoData, type SeedSummary } from '../../server/src/seed/seed';

/** Seeds the demo data into the database at `uri` over a short-lived connection. */
export async function seedDatabase(uri: string, adminPassword: string | null): Promise<SeedSummary> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const models = registerModels(connection);
    await Promise.all(Object.values(models).map((model) => model.init()));
    return await seedDemoData(models, { adminPassword });
  } finally {
    await connection.close();
  }
}
