/**
 * A job worker process as `npm start` runs it with JOBS=on, without the web server: pg-boss as a
 * worker (mail delivery, sweeper, receipts, letters) on DATABASE_URL, mail to SMTP_URL. Stops
 * gracefully on SIGTERM (running deliveries finish).
 */
import { closeDatabase } from "~db/client.server";
import { startJobs, stopJobs } from "~/jobs/runner.server";

await startJobs();
console.log(`travailleur prêt (pid ${process.pid})`);

const stop = async () => {
  await stopJobs().catch(() => {});
  await closeDatabase().catch(() => {});
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
