import { afterAll, inject } from "vitest";
import { createDatabaseFrom, databaseUrl, dropDatabase } from "./postgres-admin";

/**
 * Runs before each test file, before it imports the app: points the app's database at a fresh
 * one. Application modules read DATABASE_URL / DATA_DIR when first imported, so this must stay
 * free of static imports from app/ or db/.
 */
const template = inject("pgTemplate");
let fileDatabase: string | null = null;

if (template) {
  fileDatabase = `mb_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await createDatabaseFrom(template, fileDatabase);
  process.env.DATABASE_URL = databaseUrl(fileDatabase);
} else {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = "memory://";
  const { migrateDatabase } = await import("~db/client.server");
  await migrateDatabase();
}

afterAll(async () => {
  const { closeDatabase } = await import("~db/client.server");
  await closeDatabase();
  if (fileDatabase) await dropDatabase(fileDatabase);
});
