/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to PGlite in DATA_DIR. */
import { closeDatabase, databaseEngine, migrateDatabase } from "~db/client.server";

await migrateDatabase();
console.log(`Migrations appliquées (${databaseEngine}).`);
await closeDatabase();
