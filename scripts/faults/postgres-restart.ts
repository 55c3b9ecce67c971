/**
 * `npx tsx scripts/faults/postgres-restart.ts [--down 5] [--after 15]` (in a checkout where the
 * portal is built: it is built first otherwise)
 *
 * PostgreSQL restarted under load. A throwaway cluster (initdb on a free port, removed at the
 * end; the machine's server is never touched) holds the demo call; the portal runs on it as in
 * production (`node build/server/start.js`, PORTAL_MODE=production, JOBS=on). Four clients load the home
 * page (its loader reads the call) and one polls /healthz, each request with a 10 s timeout. The
 * cluster is stopped (fast shutdown) for `--down` seconds, then started again; the load goes on
 * `--after` seconds. Properties: /healthz answers 503 while the server is down (never a 500, never
 * a hang), 200 after, and once it says 200 again every request succeeds, without restarting the app.
 * Pages asked during the outage wait for postgres.js to reconnect (up to the 10 s timeout here)
 * or fail with a 500: reported, not a property.
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { throwawayCluster } from "./cluster";
import { check, freePort, log, runScenario, sleep, spawnPortal } from "./support";

const { values } = parseArgs({ options: { down: { type: "string", default: "5" }, after: { type: "string", default: "15" } } });
const DOWN_SECONDS = Number(values.down);
const AFTER_SECONDS = Number(values.after);
const REQUEST_TIMEOUT_MS = 10_000;
/** A request that took longer than this is a hang, whatever its answer. */
const HANG_MS = 3_000;

interface Sample {
  route: string;
  start: number;
  end: number;
  status: number | "erreur" | "délai dépassé";
}

await runScenario(`Redémarrage de PostgreSQL sous charge : arrêt de ${DOWN_SECONDS} s`, async () => {
  const cluster = await throwawayCluster("faults");
  log(`grappe jetable démarrée (${cluster.serverUrl})`);
  const admin = postgres(cluster.serverUrl, { max: 1, onnotice: () => {} });
  await admin`create database medicobus`;
  await admin.end();
  const databaseUrl = cluster.databaseUrl("medicobus");
  execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore" });
  log("base migrée, appel de démonstration en place");

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = spawnPortal("portail", {
    DATABASE_URL: databaseUrl,
    PORTAL_MODE: "production",
    NODE_ENV: "production",
    JOBS: "on",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    SESSION_SECRET: "faults-postgres-restart-secret",
    // Nobody listens there: no mail leaves during this scenario anyway.
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
  });
  await app.waitFor(/Portail Médicobus prêt/, 300_000);
  const pid = app.process.pid;
  log(`portail démarré (${baseUrl}, pid ${pid})`);

  const samples: Sample[] = [];
  let loading = true;
  async function loop(route: string, pauseMs: number) {
    while (loading) {
      const start = Date.now();
      let status: Sample["status"];
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error("délai dépassé")), REQUEST_TIMEOUT_MS);
      try {
        const response = await fetch(`${baseUrl}${route}`, { signal: controller.signal });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = controller.signal.aborted ? "délai dépassé" : "erreur";
      } finally {
        clearTimeout(timer);
      }
      samples.push({ route, start, end: Date.now(), status });
      await sleep(pauseMs);
    }
  }
  const progress = setInterval(() => {
    const last = samples.slice(-40);
    log(`${samples.length} requêtes ; dernières : ${[...new Set(last.map((sample) => `${sample.route} ${sample.status}`))].join(", ")}`);
  }, 2_000);
  const clients = [loop("/", 20), loop("/", 20), loop("/", 20), loop("/", 20), loop("/healthz", 100)];

  await sleep(5_000);
  const stopAt = Date.now();
  await cluster.stop();
  log("PostgreSQL arrêté (pg_ctl stop -m fast)");
  await sleep(DOWN_SECONDS * 1000);
  await cluster.start();
  const startedAt = Date.now();
  log("PostgreSQL redémarré (pg_ctl start)");
  await sleep(AFTER_SECONDS * 1000);
  loading = false;
  await Promise.all(clients);
  clearInterval(progress);
  log(`charge arrêtée ; ${samples.length} requêtes`);

  const t = (at: number) => `${((at - stopAt) / 1000).toFixed(2)} s`;
  const health = samples.filter((sample) => sample.route === "/healthz");
  const pages = samples.filter((sample) => sample.route === "/");
  const before = samples.filter((sample) => sample.end < stopAt);
  const firstUnhealthy = health.find((sample) => sample.start >= stopAt && sample.status !== 200);
  const firstHealthyAgain = health.find((sample) => sample.start >= startedAt && sample.status === 200);
  const recoveredAt = firstHealthyAgain?.end ?? Infinity;
  const outage = health.filter((sample) => sample.start >= stopAt + 200 && sample.end <= startedAt);
  const duringPages = pages.filter((sample) => sample.end > stopAt && sample.start < recoveredAt);
  const afterRecovery = samples.filter((sample) => sample.start >= recoveredAt);
  const afterErrors = afterRecovery.filter((sample) => sample.status !== 200);
  const firstPageAfter = pages.find((sample) => sample.start >= startedAt && sample.status === 200);
  const statuses = (list: Sample[]) => {
    const counts = new Map<string, number>();
    for (const sample of list) counts.set(String(sample.status), (counts.get(String(sample.status)) ?? 0) + 1);
    return [...counts].map(([status, count]) => `${status} × ${count}`).join(", ") || "aucune";
  };
  const slowest = (list: Sample[]) => Math.max(0, ...list.map((sample) => sample.end - sample.start));

  console.log(`\nChronologie (0 = arrêt de PostgreSQL ; redémarrage à ${t(startedAt)}) :`);
  console.log(`  avant l'arrêt : ${statuses(before)}`);
  console.log(`  premier /healthz non 200 : ${firstUnhealthy ? `${firstUnhealthy.status} à ${t(firstUnhealthy.end)}` : "aucun"}`);
  console.log(`  /healthz pendant l'arrêt : ${statuses(outage)} (le plus lent : ${slowest(outage)} ms)`);
  console.log(`  pages pendant l'arrêt et jusqu'au retour : ${statuses(duringPages)} (la plus lente : ${slowest(duringPages)} ms)`);
  console.log(`  premier /healthz 200 après redémarrage : ${firstHealthyAgain ? `à ${t(firstHealthyAgain.end)}` : "jamais"}`);
  console.log(`  première page 200 après redémarrage : ${firstPageAfter ? `à ${t(firstPageAfter.end)}` : "jamais"}`);
  console.log(`  après le retour : ${statuses(afterRecovery)}\n`);

  check("avant l'arrêt tout répond 200", before.length > 0 && before.every((sample) => sample.status === 200), statuses(before));
  check("/healthz répond 503 pendant l'arrêt", outage.length > 0 && outage.every((sample) => sample.status === 503), statuses(outage));
  check("/healthz ne reste pas suspendu pendant l'arrêt", slowest(outage) < HANG_MS, `${slowest(outage)} ms au plus`);
  check("/healthz revient à 200 sans redémarrer le portail", Boolean(firstHealthyAgain) && app.process.pid === pid && app.process.exitCode === null, firstHealthyAgain ? `${((firstHealthyAgain.end - startedAt) / 1000).toFixed(2)} s après le redémarrage` : "jamais");
  check("aucune erreur après le retour", afterRecovery.length > 0 && afterErrors.length === 0, `${afterRecovery.length} requêtes, ${afterErrors.length} en erreur`);
  const bossErrors = (app.output().match(/^pg-boss:/gm) ?? []).length;
  log(`fin ; pg-boss a signalé ${bossErrors} erreur(s) de connexion pendant l'arrêt (il les journalise et continue)`);
});
