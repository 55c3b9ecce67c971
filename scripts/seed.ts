/** `npm run db:seed`: the demo call and one account per role (idempotent). */
import { closeDatabase, migrateDatabase } from "~db/client.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "~db/seed/demo";

await migrateDatabase();
await seedDemo();
console.log(`Démonstration prête. Comptes (mot de passe ${DEMO_PASSWORD}) :`);
for (const account of DEMO_ACCOUNTS) console.log(`  ${account.role.padEnd(16)} ${account.email}`);
await closeDatabase();
