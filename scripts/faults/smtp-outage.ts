/**
 * `npx tsx scripts/faults/smtp-outage.ts [--mails 200] [--outage 20] [--retry-delay 1]`
 *
 * SMTP outage with two worker processes: N mails are queued through the outbox (queueMail, as
 * every mail of the portal) while the SMTP server is down (its port closed: connection refused);
 * two job worker processes (scripts/faults/job-worker.ts, i.e. startJobs() as `npm start` runs it)
 * share one PostgreSQL database and keep failing and retrying; after `--outage` seconds the SMTP
 * server comes back on the same port. Properties: every mail reaches the server exactly once
 * (counted by Message-ID, which carries the outbox row id), every row is `sent`, both processes
 * delivered. `--retry-delay` sets JOBS_RETRY_DELAY (first pg-boss retry delay, doubling); the
 * portal's default is 5 s. Needs a PostgreSQL server: FAULTS_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres); a scratch database is created and dropped.
 */
import { parseArgs } from "node:util";
import { startTestSmtpServer } from "../../tests/fixtures/smtp";
import { check, freePort, log, onCleanup, runScenario, scratchDatabase, sleep, spawnScript } from "./support";

const { values } = parseArgs({ options: { mails: { type: "string", default: "200" }, outage: { type: "string", default: "20" }, "retry-delay": { type: "string", default: "1" } } });
const MAILS = Number(values.mails);
const OUTAGE_SECONDS = Number(values.outage);
const RETRY_DELAY = values["retry-delay"];

await runScenario(`Panne SMTP avec deux processus de travail : ${MAILS} courriels, panne de ${OUTAGE_SECONDS} s, JOBS_RETRY_DELAY=${RETRY_DELAY}`, async () => {
  const databaseUrl = await scratchDatabase("faults_smtp");
  const smtpPort = await freePort();
  const smtpUrl = `smtp://127.0.0.1:${smtpPort}`;
  process.env.DATABASE_URL = databaseUrl;
  process.env.JOBS_RETRY_DELAY = RETRY_DELAY;
  process.env.JOBS = "off";
  // The app reads its environment when first imported: only now.
  const { closeDatabase, db, migrateDatabase, sqlRunner, transaction } = await import("~db/client.server");
  const { mails } = await import("~db/schema");
  const { queueMail } = await import("~emails/send.server");
  const { verifyEmailMail } = await import("~emails/verify-email");
  const { stopJobQueue } = await import("~/jobs/queue.server");
  onCleanup(() => closeDatabase());
  onCleanup(() => stopJobQueue());
  await migrateDatabase();
  log(`base ${new URL(databaseUrl).pathname.slice(1)} migrée ; SMTP ${smtpUrl} fermé (connexion refusée)`);

  const workerEnv = { DATABASE_URL: databaseUrl, SMTP_URL: smtpUrl, JOBS: "on", JOBS_RETRY_DELAY: RETRY_DELAY, NODE_ENV: "production" };
  const workers = [spawnScript("travailleur A", "scripts/faults/job-worker.ts", workerEnv), spawnScript("travailleur B", "scripts/faults/job-worker.ts", workerEnv)];
  await Promise.all(workers.map((worker) => worker.waitFor(/travailleur prêt/)));
  log("deux processus de travail démarrés");

  const outageStart = Date.now();
  const ids: string[] = [];
  for (let index = 0; index < MAILS; index++) {
    ids.push(
      await transaction((tx, afterCommit) =>
        queueMail(tx, afterCommit, { to: `porteur-${index}@exemple.fr`, template: verifyEmailMail, data: { name: `Porteur ${index}`, url: `https://medicobus.localhost/verification/${index}`, expiresInHours: 48 } }),
      ),
    );
  }
  log(`${MAILS} courriels mis en file pendant la panne`);

  await sleep(Math.max(0, OUTAGE_SECONDS * 1000 - (Date.now() - outageStart)));
  const {
    rows: [during],
  } = await sqlRunner.query("select count(*) filter (where status = 'queued')::int as queued, coalesce(sum(attempts), 0)::int as attempts from mails", []);
  log(`fin de la panne : ${during.queued} courriels en attente, ${during.attempts} tentatives refusées jusque-là`);
  const smtp = await startTestSmtpServer({ port: smtpPort });
  onCleanup(() => smtp.close());
  const back = Date.now();
  log("serveur SMTP revenu sur le même port");

  const deadline = back + 10 * 60_000;
  let remaining = MAILS;
  while (Date.now() < deadline) {
    const { rows } = await sqlRunner.query("select count(*)::int as remaining from mails where status <> 'sent'", []);
    remaining = Number(rows[0].remaining);
    if (remaining === 0 && smtp.received.length >= MAILS) break;
    await sleep(250);
  }
  const allSentAt = Date.now();
  log(`tous les courriels envoyés ${((allSentAt - back) / 1000).toFixed(1)} s après le retour du serveur (${remaining} restant)`);
  // Leave the workers a moment to send a duplicate, if they were going to.
  await sleep(3000);
  const received = smtp.received.map((mail, index) => ({ messageId: mail.messageId ?? "", at: smtp.receivedAt[index] }));

  const counts = new Map<string, number>();
  for (const { messageId } of received) counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
  const expected = new Set(ids.map((id) => `<${id}@medicobus.localhost>`));
  const duplicates = [...counts].filter(([, count]) => count > 1);
  const missing = [...expected].filter((messageId) => !counts.has(messageId));
  const strangers = [...counts.keys()].filter((messageId) => !expected.has(messageId));
  const rows = await db.select({ status: mails.status, attempts: mails.attempts, messageId: mails.messageId }).from(mails);
  const attempts = rows.map((row) => row.attempts).sort((a, b) => a - b);
  const deliveredBy = workers.map((worker) => ({ name: worker.name, failures: (worker.output().match(/attempt \d+ failed/g) ?? []).length }));

  console.log("");
  check("aucun courriel perdu (chaque Message-ID attendu reçu)", missing.length === 0, `${expected.size - missing.length}/${expected.size} reçus`);
  check("aucun doublon au serveur SMTP", duplicates.length === 0, `${received.length} messages reçus, ${duplicates.length} Message-ID en double`);
  check("aucun courriel inattendu", strangers.length === 0);
  check("toutes les lignes de la boîte d'envoi sont « sent »", rows.every((row) => row.status === "sent") && rows.length === MAILS, `${rows.filter((row) => row.status === "sent").length}/${rows.length}`);
  check("les deux processus ont travaillé pendant la panne", deliveredBy.every((worker) => worker.failures > 0), deliveredBy.map((worker) => `${worker.name} : ${worker.failures} échecs journalisés`).join(", "));
  console.log(
    `\nTentatives par courriel : min ${attempts[0]}, médiane ${attempts[Math.floor(attempts.length / 2)]}, max ${attempts.at(-1)} ; ` +
      `premier reçu ${((Math.min(...received.map((mail) => mail.at)) - back) / 1000).toFixed(1)} s après le retour, dernier ${((Math.max(...received.map((mail) => mail.at)) - back) / 1000).toFixed(1)} s après ; durée totale ${((allSentAt - outageStart) / 1000).toFixed(1)} s depuis la mise en file.`,
  );
});
