/**
 * `npx tsx scripts/faults/two-processes.ts` (in a checkout where the portal is built:
 * it is built first otherwise)
 *
 * Two portal processes (`node build/server/start.js`, as `npm start` runs it, JOBS=on) on one PostgreSQL
 * database, sharing nothing but it, started at the same moment: this is how the portal scales
 * out. Properties, each checked through the processes themselves:
 *   - a session opened on A works on B, and signing out on B ends it on A;
 *   - sign-in throttling counts the failures made on both (5 per address in 15 min);
 *   - every mail queued is delivered once although both processes run delivery workers
 *     (counted by Message-ID at a loopback SMTP server);
 *   - the budget lock holds: two processes committing the same dossiers of one wave at once never
 *     commit more than the wave's budget, nor twice to a dossier.
 * Needs a PostgreSQL server: FAULTS_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres);
 * a scratch database is created and dropped.
 */
import { startTestSmtpServer } from "../../tests/fixtures/smtp";
import { check, freePort, log, onCleanup, runScenario, scratchDatabase, sleep, spawnPortal, spawnScript } from "./support";

const PROGRAMME = "programme@demo.medicobus.fr";
const APPLICANT = "porteur@demo.medicobus.fr";
const MAILS = 100;
const DOSSIERS = 40;

/** Keeps the cookies a response sets (a removal drops it), as a browser would. */
function storeCookies(jar: Map<string, string>, response: Response) {
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(";");
    const [name, value] = [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()];
    if (!value || attributes.some((attribute) => /^\s*max-age=0\b/i.test(attribute))) jar.delete(name);
    else jar.set(name, value);
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

async function post(baseUrl: string, path: string, form: Record<string, string>, jar: Map<string, string>) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar) },
    body: new URLSearchParams(form),
  });
  await response.arrayBuffer();
  storeCookies(jar, response);
  return response;
}

async function get(baseUrl: string, path: string, jar: Map<string, string>) {
  const response = await fetch(`${baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookieHeader(jar) } });
  await response.arrayBuffer();
  return response;
}

await runScenario("Deux processus du portail sur une même base PostgreSQL", async () => {
  const databaseUrl = await scratchDatabase("faults_two");
  const smtp = await startTestSmtpServer();
  onCleanup(() => smtp.close());
  const ports = [await freePort(), await freePort()];
  const portals = ports.map((port, index) =>
    spawnPortal(`portail ${"AB"[index]}`, {
      DATABASE_URL: databaseUrl,
      PORTAL_MODE: "demo",
      NODE_ENV: "production",
      JOBS: "on",
      HOST: "127.0.0.1",
      PORT: String(port),
      SMTP_URL: smtp.url,
      JOBS_RETRY_DELAY: "1",
    }),
  );
  // Both at once, as a deployment starts its processes: migrations, demo seed and job queues race.
  const [urlA, urlB] = await Promise.all(portals.map(async (portal) => (await portal.waitFor(/Portail Médicobus prêt : (http:\/\/\S+)/, 300_000))[1]));
  log(`portails prêts : A ${urlA}, B ${urlB}`);

  process.env.DATABASE_URL = databaseUrl;
  process.env.JOBS = "off";
  const { closeDatabase, db, sqlRunner, transaction } = await import("~db/client.server");
  const { DEMO_PASSWORD } = await import("~db/seed/demo");
  onCleanup(() => closeDatabase());

  // Sessions.
  const jar = new Map<string, string>();
  const signIn = await post(urlA, "/connexion", { email: PROGRAMME, password: DEMO_PASSWORD }, jar);
  const onB = await get(urlB, "/programme", jar);
  const signOut = await post(urlB, "/deconnexion", {}, new Map(jar));
  const backOnA = await get(urlA, "/programme", jar);
  check("une session ouverte sur A est reconnue par B", signIn.status === 302 && onB.status === 200, `connexion sur A : ${signIn.status}, /programme sur B : ${onB.status}`);
  check("la déconnexion sur B ferme la session sur A", signOut.status === 302 && backOnA.status === 302 && /\/connexion/.test(backOnA.headers.get("location") ?? ""), `/programme sur A après : ${backOnA.status} → ${backOnA.headers.get("location")}`);

  // Throttling: five failures spread over both processes, then the right password on B.
  const failures = [];
  for (let attempt = 0; attempt < 5; attempt++) failures.push((await post(attempt % 2 === 0 ? urlA : urlB, "/connexion", { email: APPLICANT, password: "mauvais-mot-de-passe" }, new Map())).status);
  const sixth = await post(urlB, "/connexion", { email: APPLICANT, password: DEMO_PASSWORD }, new Map());
  check("la limitation des connexions compte les échecs des deux processus", failures.every((status) => status === 400 || status === 401) && sixth.status === 429, `échecs A/B/A/B/A : ${failures.join(", ")} ; 6e tentative (bon mot de passe) sur B : ${sixth.status}`);

  // Jobs: mails queued from here, delivered by the workers of both processes.
  const { queueMail } = await import("~emails/send.server");
  const { verifyEmailMail } = await import("~emails/verify-email");
  const { stopJobQueue } = await import("~/jobs/queue.server");
  onCleanup(() => stopJobQueue());
  const ids: string[] = [];
  for (let index = 0; index < MAILS; index++) {
    ids.push(await transaction((tx, afterCommit) => queueMail(tx, afterCommit, { to: `deux-${index}@exemple.fr`, template: verifyEmailMail, data: { name: `Porteur ${index}`, url: `https://medicobus.localhost/v/${index}`, expiresInHours: 48 } })));
  }
  const deadline = Date.now() + 120_000;
  const idSet = new Set(ids);
  const ours = () => smtp.received.map((mail) => mail.messageId ?? "").filter((messageId) => idSet.has(/^<([^@]+)@/.exec(messageId)?.[1] ?? ""));
  while (ours().length < MAILS && Date.now() < deadline) await sleep(200);
  await sleep(3_000);
  const delivered = ours();
  const { rows: mailRows } = await sqlRunner.query("select count(*) filter (where status = 'sent')::int as sent, count(*) filter (where attempts <> 1)::int as retried from mails where id = any($1::uuid[])", [ids]);
  const { rows: jobRows } = await sqlRunner.query("select count(*)::int as jobs, count(*) filter (where state = 'completed')::int as completed from pgboss.job where name = 'mail.deliver' and data->>'mailId' = any($1::text[])", [ids]);
  check(
    "chaque tâche est exécutée une fois entre les deux processus",
    delivered.length === MAILS && new Set(delivered).size === MAILS && mailRows[0].sent === MAILS && jobRows[0].jobs === MAILS && jobRows[0].completed === MAILS,
    `${delivered.length} courriels reçus pour ${MAILS} mis en file (${new Set(delivered).size} Message-ID distincts), ${mailRows[0].sent} lignes « sent », ${jobRows[0].completed}/${jobRows[0].jobs} tâches terminées`,
  );

  // Budget lock: selected dossiers of one wave, a budget for about half of them, two processes.
  const { seedVolume } = await import("~db/seed/volume");
  const { awardProblem } = await import("~/modules/budget/award");
  const { CallRulesSchema } = await import("~/modules/calls/schema");
  const { applications } = await import("~db/schema");
  const { and, eq, inArray } = await import("drizzle-orm");
  const { waveIds } = await seedVolume({ count: 400, seed: 11, callSlug: "pannes-deux-processus" });
  const band = CallRulesSchema.parse({}).stateSharePercent;
  const candidates = (await db.select().from(applications).where(and(eq(applications.waveId, waveIds[1]), inArray(applications.status, ["reviewed", "under_review"]))))
    .filter((dossier) => awardProblem(dossier, dossier.requestedCents, band) === null)
    .slice(0, DOSSIERS);
  const commits = candidates.map((dossier) => ({ reference: dossier.reference, amountCents: dossier.requestedCents }));
  const total = commits.reduce((sum, commit) => sum + commit.amountCents, 0);
  // Setup only: the dossiers are made « selected » and the wave's budget set to half their awards.
  await sqlRunner.query("update applications set status = 'selected' where reference = any($1::text[])", [commits.map((commit) => commit.reference)]);
  const { rows: before } = await sqlRunner.query("select coalesce(sum(case when kind = 'commitment' then amount_cents when kind = 'release' then -amount_cents else 0 end), 0)::bigint as committed from ledger_entries where wave_id = $1", [waveIds[1]]);
  const budget = Number(before[0].committed) + Math.floor(total / 2);
  await sqlRunner.query("update waves set budget_cents = $1, bus_target = bus_target + 1000 where id = $2", [budget, waveIds[1]]);
  log(`${commits.length} dossiers retenus (${(total / 100).toLocaleString("fr-FR")} € demandés), budget de la vague ramené à ${(budget / 100).toLocaleString("fr-FR")} €`);

  const startAt = String(Date.now() + 4_000);
  const committers = ["A", "B"].map((name, index) =>
    spawnScript(`engagements ${name}`, "scripts/faults/commit-awards.ts", {
      DATABASE_URL: databaseUrl,
      JOBS: "off",
      FAULTS_ACTOR_EMAIL: PROGRAMME,
      FAULTS_START_AT: startAt,
      // Opposite orders: the two processes meet on every dossier.
      FAULTS_COMMITS: JSON.stringify(index === 0 ? commits : [...commits].reverse()),
    }),
  );
  const outcomes = await Promise.all(committers.map(async (committer) => JSON.parse((await committer.waitFor(/^\{"committed".*$/m, 180_000))[0]) as { committed: string[]; refused: Record<string, number> }));
  const { rows: after } = await sqlRunner.query(
    "select coalesce(sum(amount_cents), 0)::bigint as committed, count(*)::int as entries, count(distinct application_id)::int as dossiers from ledger_entries where wave_id = $1 and kind = 'commitment' and application_id = any(select id from applications where reference = any($2::text[]))",
    [waveIds[1], commits.map((commit) => commit.reference)],
  );
  const committedNow = Number(before[0].committed) + Number(after[0].committed);
  const successes = outcomes.reduce((sum, outcome) => sum + outcome.committed.length, 0);
  const refusedBudget = outcomes.reduce((sum, outcome) => sum + (outcome.refused.budget_exceeded ?? 0), 0);
  console.log(`    A : ${outcomes[0].committed.length} engagés, refus ${JSON.stringify(outcomes[0].refused)} ; B : ${outcomes[1].committed.length} engagés, refus ${JSON.stringify(outcomes[1].refused)}`);
  check("les engagements concurrents ne dépassent jamais le budget de la vague", committedNow <= budget && refusedBudget > 0, `${(committedNow / 100).toLocaleString("fr-FR")} € engagés pour un budget de ${(budget / 100).toLocaleString("fr-FR")} € ; ${refusedBudget} refus « budget dépassé »`);
  check("aucun dossier engagé deux fois", after[0].entries === after[0].dossiers && after[0].entries === successes, `${after[0].entries} écritures pour ${after[0].dossiers} dossiers, ${successes} succès annoncés`);
  check("les deux processus ont engagé", outcomes.every((outcome) => outcome.committed.length > 0), outcomes.map((outcome, index) => `${"AB"[index]} : ${outcome.committed.length}`).join(", "));
});
