/** `npm run dev`: the same HTTP shell as production, with Vite's middleware and hot reload. */
process.env.NODE_ENV ??= "development";
const { migrateDatabase } = await import("~db/client.server");
const { env } = await import("~/env.server");
await migrateDatabase();
if (env.PORTAL_MODE === "demo") await (await import("~db/seed/demo")).seedDemo();
const { startJobs } = await import("~/jobs/runner.server");
if (env.JOBS === "on") await startJobs();
const { startHttpServer } = await import("~/http/server");
const started = await startHttpServer({ mode: "development" });
console.log(`Portail Médicobus (développement) : ${started.url}`);

export {}; // a module, for top-level await
