/**
 * The hot routes under load against their floor (issue 6), in one run:
 *   1. a scratch PostgreSQL database, migrated, with the 10,000-dossier volume seed and the
 *      accounts the measures need (scripts/bench/routes/fixtures.ts);
 *   2. a recording run of the production build (routes/recorder.ts): every statement each
 *      measured request sends, session lookup included;
 *   3. the portal's production build started like `npm start` (build/server/start.js, NODE_ENV and
 *      PORTAL_MODE production, background jobs on) and the floor (routes/floor.ts: node:http +
 *      postgres.js replaying the recorded statements), both driven by autocannon with the same
 *      connections and duration, one after the other, route by route;
 *   4. p50 / p95 / p99, requests per second, errors, the p95 ratio, into docs/benchmarks.md.
 * The database is dropped and the servers stopped even after a failure; any error or non-2xx
 * answer makes the run fail.
 *
 * Run after `npm run build`: npx tsx scripts/bench/routes.ts [--dossiers 10000] [--connexions 10]
 *   [--duree 10] [--chauffe 3] [--serveur postgres://postgres@127.0.0.1:5432] [--base mb_loadbench]
 *   [--port 3710]
 * To find where a route spends its time: --seulement dossier:donnees[,autosave] measures only
 * those (keys as printed by the recording run; nothing is written to docs/) and --profil DIR has
 * the portal write a V8 CPU profile there when it stops (open it in Chrome's DevTools).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { scratchDatabase } from "./routes/database";
import { load, processGroupCpuMs, type LoadFigures } from "./routes/load";
import { autosaveTemplate, type RecordedRequest, type Recording } from "./routes/recording";
import { HEADING, judged, ratioOf, tableOf, TARGET_RATIO, type MeasuredRoute } from "./routes/report";
import { writeBenchmarkSection } from "../lib/benchmark-report";
import { portalCommand, PORTAL_SERVER } from "../lib/portal-build";

const { values: args } = parseArgs({
  options: {
    dossiers: { type: "string", default: "10000" },
    connexions: { type: "string", default: "10" },
    duree: { type: "string", default: "10" },
    chauffe: { type: "string", default: "3" },
    serveur: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    base: { type: "string", default: "mb_loadbench" },
    port: { type: "string", default: "3710" },
    seulement: { type: "string" },
    profil: { type: "string" },
  },
});
const ONLY = args.seulement ? new Set(args.seulement.split(",")) : null;
const measured = (key: string) => !ONLY || ONLY.has(key);
const DOSSIERS = Number(args.dossiers);
const CONNECTIONS = Number(args.connexions);
const SECONDS = Number(args.duree);
const WARM_UP_SECONDS = Number(args.chauffe);
const PORTAL_PORT = Number(args.port);
const FLOOR_PORT = PORTAL_PORT + 1;
if (![DOSSIERS, CONNECTIONS, SECONDS, WARM_UP_SECONDS, PORTAL_PORT].every((value) => Number.isInteger(value) && value > 0)) {
  console.error("Usage : npx tsx scripts/bench/routes.ts [--dossiers 10000] [--connexions 10] [--duree 10] [--chauffe 3] [--serveur postgres://…] [--base mb_loadbench] [--port 3710] (nombres entiers positifs)");
  process.exit(2);
}
if (!existsSync("build/server/index.js")) {
  console.error("Le build de production manque : lancez d'abord `npm run build`.");
  process.exit(2);
}

const [loadAtStart] = loadavg();
console.log(`Charge moyenne au départ : ${loadavg().map((value) => value.toFixed(2)).join(" / ")} (1, 5, 15 min) sur ${availableParallelism()} cœurs.`);

const database = scratchDatabase(args.serveur, args.base);
const work = mkdtempSync(path.join(tmpdir(), "bench-routes-"));
const children: ChildProcess[] = [];
const tsx = path.resolve("node_modules/.bin/tsx");

function portalEnv(port: number, jobs: "on" | "off"): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    PORTAL_MODE: "production",
    DATABASE_URL: database.url,
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: randomBytes(24).toString("hex"),
    // No mail is sent by the measured routes; a closed port keeps a stray one from leaving.
    SMTP_URL: "smtp://127.0.0.1:9",
    JOBS: jobs,
  };
}

/**
 * A child in its own process group, so that stopping it stops whatever it started. The portal
 * runs as `npm start` runs it, under plain node (`nodeOptions` go before its own, e.g. the
 * profiler's); the other servers are tsx scripts.
 */
function start(script: string, argv: string[], env: NodeJS.ProcessEnv, nodeOptions: string[] = []) {
  let [command, commandArgs]: [string, string[]] = [tsx, [script, ...argv]];
  if (script === PORTAL_SERVER) {
    const [node, portalArgs] = portalCommand();
    [command, commandArgs] = [node, [...nodeOptions, ...portalArgs, ...argv]];
  }
  const child = spawn(command, commandArgs, { env, detached: true, stdio: ["ignore", "inherit", "inherit"] });
  children.push(child);
  return child;
}

function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

function exited(child: ChildProcess) {
  return new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

async function waitFor(url: string, child: ChildProcess, seconds = 120) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} : le processus s'est arrêté (code ${child.exitCode}).`);
    const answered = await fetch(url).then((response) => response.status, () => 0);
    if (answered > 0 && answered < 500) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} ne répond pas après ${seconds} s.`);
}

interface Measure {
  key: string;
  label: string;
  request: MeasuredRoute["request"];
  path: string;
  cookie: string;
}

function dataPath(pathname: string, routeId: string) {
  return `${pathname}${pathname.includes("?") ? "&" : "?"}_data=${encodeURIComponent(routeId)}`;
}

let failed = false;
try {
  await database.create();
  process.env.DATABASE_URL = database.url;
  const { closeDatabase, migrateDatabase } = await import("~db/client.server");
  const { seedFixtures, draftVersions } = await import("./routes/fixtures");
  try {
    await migrateDatabase();
    const seededAt = performance.now();
    const fixtures = await seedFixtures(DOSSIERS);
    console.log(`${DOSSIERS.toLocaleString("fr-FR")} dossiers et comptes des mesures en ${((performance.now() - seededAt) / 1000).toFixed(1)} s.`);

    const { applicant, agent, manager } = fixtures.cookies;
    const instruction = `/instruction?waveId=${fixtures.wave2}&status=under_review&sort=score&direction=desc`;
    const pages = [
      { key: "mon-espace", label: "Tableau de bord du porteur", path: "/mon-espace", routeId: "routes/mon-espace._index", cookie: applicant },
      { key: "dossier", label: "Page du dossier", path: `/dossiers/${fixtures.dossierReference}`, routeId: "routes/dossiers.$reference", cookie: applicant },
      { key: "instruction", label: "Liste d'instruction (vague, statut, tri par note)", path: instruction, routeId: "routes/instruction._index", cookie: agent },
      { key: "programme", label: "Tableau de bord du programme", path: "/programme", routeId: "routes/programme._index", cookie: manager },
      { key: "classement", label: "Classement de la vague 1", path: "/programme/vagues/1", routeId: "routes/programme.vagues.$numero._index", cookie: manager },
      { key: "simulateur", label: "Simulateur (vague 2, avec dérogations)", path: "/programme/vagues/2/decision", routeId: "routes/programme.vagues.$numero.decision", cookie: manager },
    ];
    const measures: Measure[] = pages.flatMap((page) => [
      { key: `${page.key}:donnees`, label: page.label, request: "données" as const, path: dataPath(page.path, page.routeId), cookie: page.cookie },
      { key: `${page.key}:document`, label: page.label, request: "document" as const, path: page.path, cookie: page.cookie },
    ]);
    const autosavePath = (reference: string) => dataPath(`/dossiers/${reference}/porteur`, "routes/dossiers.$reference.$section");
    const autosaveBody = (draft: (typeof fixtures.drafts)[number], version: number) => JSON.stringify({ section: draft.section, data: draft.data, version });

    // 2. The recording run: each page warmed then recorded; each draft saved three times
    // (v, v + 1 recorded, v + 2 recorded) so that the floor knows which parameters follow the version.
    const versions = await draftVersions(fixtures.drafts.map((draft) => draft.reference));
    const toRecord: RecordedRequest[] = [
      ...measures.flatMap((measure) =>
        [false, true].map((record) => ({ key: measure.key, method: "GET" as const, path: measure.path, headers: { Cookie: measure.cookie, Accept: measure.request === "document" ? "text/html" : "application/json" }, record })),
      ),
      ...fixtures.drafts.flatMap((draft) =>
        [0, 1, 2].map((step) => ({
          key: `autosave:${draft.reference}:${step}`,
          method: "POST" as const,
          path: autosavePath(draft.reference),
          headers: { Cookie: applicant, "Content-Type": "application/json" },
          body: autosaveBody(draft, versions.get(draft.reference)! + step),
          record: step > 0,
        })),
      ),
    ];
    const requestsFile = path.join(work, "requests.json");
    const recordingsFile = path.join(work, "recordings.json");
    writeFileSync(requestsFile, JSON.stringify(toRecord));
    const recorder = start("scripts/bench/routes/recorder.ts", [requestsFile, recordingsFile], portalEnv(FLOOR_PORT + 1, "off"));
    if ((await exited(recorder)) !== 0) throw new Error("L'enregistrement des requêtes a échoué.");
    const recordings = new Map((JSON.parse(readFileSync(recordingsFile, "utf8")) as Recording[]).map((recording) => [recording.key, recording]));
    const templates = Object.fromEntries(
      fixtures.drafts.map((draft) => {
        const first = versions.get(draft.reference)! + 1;
        return [draft.reference, autosaveTemplate(recordings.get(`autosave:${draft.reference}:1`)!, recordings.get(`autosave:${draft.reference}:2`)!, [first, first + 1])];
      }),
    );
    const templatesFile = path.join(work, "templates.json");
    writeFileSync(templatesFile, JSON.stringify(templates));
    for (const measure of measures) console.log(`${measure.key} : ${recordings.get(measure.key)!.statements.length} requêtes SQL enregistrées.`);
    console.log(`enregistrement automatique : ${templates[fixtures.drafts[0].reference].length} requêtes SQL enregistrées.`);

    // 3. The portal as `npm start` runs it, and the floor.
    // Node refuses --cpu-prof in NODE_OPTIONS: the profiled portal gets it on its command line.
    const portal = start(PORTAL_SERVER, [], portalEnv(PORTAL_PORT, "on"), args.profil ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(args.profil)}`] : []);
    const floor = start("scripts/bench/routes/floor.ts", [recordingsFile, templatesFile], { ...process.env, DATABASE_URL: database.url, PORT: String(FLOOR_PORT) });
    const portalUrl = `http://127.0.0.1:${PORTAL_PORT}`;
    const floorUrl = `http://127.0.0.1:${FLOOR_PORT}`;
    await waitFor(`${portalUrl}/healthz`, portal);
    await waitFor(`${floorUrl}/`, floor);

    /** A warm-up, then the measure, with the CPU time the server's process group spent on it. */
    const twice = async (server: ChildProcess, run: (seconds: number) => Promise<LoadFigures>) => {
      await run(WARM_UP_SECONDS);
      const cpuBefore = processGroupCpuMs(server.pid!);
      const figures = await run(SECONDS);
      return { ...figures, cpuMsPerRequest: (processGroupCpuMs(server.pid!) - cpuBefore) / Math.max(1, figures.total) };
    };
    const results: MeasuredRoute[] = [];
    for (const measure of measures.filter((candidate) => measured(candidate.key))) {
      const headers = { Cookie: measure.cookie, Accept: measure.request === "document" ? "text/html" : "application/json" };
      const portalFigures = await twice(portal, (seconds) => load({ url: `${portalUrl}${measure.path}`, connections: CONNECTIONS, seconds, headers }));
      const floorFigures = await twice(floor, (seconds) => load({ url: `${floorUrl}/${encodeURIComponent(measure.key)}`, connections: CONNECTIONS, seconds }));
      results.push({ label: measure.label, request: measure.request, path: measure.path.replace(/_data=[^&]+/, "_data=…"), statements: recordings.get(measure.key)!.statements.length, portal: portalFigures, floor: floorFigures });
      console.log(`${measure.key} : p95 portail ${portalFigures.p95.toFixed(1)} ms, plancher ${floorFigures.p95.toFixed(1)} ms, CPU par requête ${portalFigures.cpuMsPerRequest.toFixed(2)} / ${floorFigures.cpuMsPerRequest.toFixed(2)} ms, ${portalFigures.errors + floorFigures.errors} erreur(s) ; statuts ${JSON.stringify(portalFigures.statuses)} / ${JSON.stringify(floorFigures.statuses)}.`);
    }

    // The autosave: each request takes a draft no request in flight is writing and posts the
    // version it was last given, so that a 409 is a real conflict. Afterwards every 2xx must be
    // one more version in the database.
    // When autocannon stops, the saves still in flight are finished by the server, unanswered:
    // the versions are read once they no longer move, or the next run would post stale ones.
    const settledVersions = async () => {
      let previous = await draftVersions(fixtures.drafts.map((draft) => draft.reference));
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const current = await draftVersions(fixtures.drafts.map((draft) => draft.reference));
        if ([...current].every(([reference, version]) => previous.get(reference) === version)) return current;
        previous = current;
      }
    };
    const autosave = async (target: "portal" | "floor", seconds: number) => {
      const before = await settledVersions();
      const pool = fixtures.drafts.map((draft) => ({ draft, version: before.get(draft.reference)!, busy: false }));
      const figures = await load({
        url: target === "portal" ? portalUrl : floorUrl,
        connections: CONNECTIONS,
        seconds,
        requests: [
          {
            method: "POST",
            setupRequest: (request, context) => {
              const slot = pool.find((candidate) => !candidate.busy);
              if (!slot) throw new Error("Plus aucun brouillon libre pour l'enregistrement automatique.");
              slot.busy = true;
              context.slot = pool.indexOf(slot);
              return {
                ...request,
                path: target === "portal" ? autosavePath(slot.draft.reference) : `/autosave/${encodeURIComponent(slot.draft.reference)}`,
                headers: { Cookie: applicant, "Content-Type": "application/json", Origin: portalUrl },
                body: autosaveBody(slot.draft, slot.version),
              };
            },
            onResponse: (status, _body, context) => {
              const slot = pool[context.slot as number];
              slot.busy = false;
              if (status >= 200 && status < 300) slot.version += 1;
            },
          },
        ],
      });
      const after = await settledVersions();
      const written = fixtures.drafts.reduce((total, draft) => total + after.get(draft.reference)! - before.get(draft.reference)!, 0);
      // At most one unanswered save per connection more than the acknowledged ones.
      if (written < figures.ok || written > figures.ok + CONNECTIONS) {
        throw new Error(`Enregistrement automatique (${target === "portal" ? "portail" : "plancher"}) : ${figures.ok} réponses 2xx mais ${written} versions écrites.`);
      }
      return figures;
    };
    if (measured("autosave")) {
      const autosavePortal = await twice(portal, (seconds) => autosave("portal", seconds));
      const autosaveFloor = await twice(floor, (seconds) => autosave("floor", seconds));
      results.push({ label: "Enregistrement automatique (JSON, un brouillon par requête en cours)", request: "enregistrement", path: "POST /dossiers/:ref/porteur?_data=…", statements: templates[fixtures.drafts[0].reference].length, portal: autosavePortal, floor: autosaveFloor });
      console.log(`autosave : p95 portail ${autosavePortal.p95.toFixed(1)} ms, plancher ${autosaveFloor.p95.toFixed(1)} ms, CPU par requête ${autosavePortal.cpuMsPerRequest.toFixed(2)} / ${autosaveFloor.cpuMsPerRequest.toFixed(2)} ms ; statuts ${JSON.stringify(autosavePortal.statuses)} / ${JSON.stringify(autosaveFloor.statuses)}.`);
    }

    await Promise.all([stop(portal), stop(floor)]);
    const errors = results.reduce((total, route) => total + route.portal.errors + route.floor.errors, 0);
    const missed = results.filter((route) => judged(route) && ratioOf(route) > TARGET_RATIO);
    console.log(`\n${tableOf(results)}\n`);

    const section = `${HEADING}

Commande : \`npm run build && npx tsx scripts/bench/routes.ts --dossiers ${DOSSIERS} --connexions ${CONNECTIONS} --duree ${SECONDS} --chauffe ${WARM_UP_SECONDS}\` — mesuré le ${new Date().toISOString().slice(0, 10)} sur PostgreSQL (Node ${process.version}, ${availableParallelism()} cœurs, charge moyenne ${loadAtStart.toFixed(2)} au départ${loadAtStart < 1.5 ? "" : " : la machine est partagée avec d'autres travaux, seuls les rapports mesurés dans le même passage comptent"}). Le temps processeur par requête (colonne « CPU ») dépend peu de la charge de la machine, les latences beaucoup.

Le build de production (\`NODE_ENV=production\`, \`PORTAL_MODE=production\`, tâches de fond actives, démarré comme \`npm start\`) sur une base PostgreSQL neuve : ${DOSSIERS.toLocaleString("fr-FR")} dossiers du jeu en volume, un porteur membre de 30 organisations de la vague 2, l'agent ARS de Normandie et l'équipe programme du jeu, deux dérogations sur la vague 2. autocannon : ${CONNECTIONS} connexions, ${WARM_UP_SECONDS} s de chauffe puis ${SECONDS} s mesurées, le portail puis le plancher, route par route ; p50 / p95 / p99 calculés sur la latence de chaque réponse.

**Le plancher** : un serveur \`node:http\` nu et postgres.js (\`scripts/bench/routes/floor.ts\`). Aucune requête SQL n'y est écrite à la main : un passage d'enregistrement sert chaque requête mesurée une fois par le même build, sur un client postgres.js dont le crochet \`debug\` note chaque requête envoyée (texte, paramètres, connexion, instant) ; le plancher rejoue ces requêtes, recherche de la session comprise, en instructions préparées comme le portail (\`prepare: true\`, le réglage par défaut de postgres.js), dans le même ordre, avec les mêmes transactions (\`begin\` … \`commit\` sur une connexion réservée) et en parallèle quand le portail les a envoyées ensemble (\`Promise.all\`), puis renvoie les lignes en JSON. Pour l'enregistrement automatique, deux enregistrements successifs d'un même brouillon désignent les paramètres qui suivent la version et l'heure ; le plancher y met la version postée.

**Ce qui est jugé** : l'objectif « p95 ≤ 2× le plancher » est jugé sur la **requête de données** du loader (\`?_data=<route>\`, du JSON des deux côtés : la comparaison à l'identique) et sur l'enregistrement automatique. La **page complète** (document HTML rendu par le serveur : loaders de la racine et des mises en page, puis rendu React) est mesurée et rapportée à côté, contre le rejeu de toutes les requêtes SQL de ce document ; son rapport est indicatif. La colonne « SQL » compte les requêtes SQL que le portail envoie pour une telle requête, recherche de la session comprise.

${tableOf(results)}

Erreurs (réponses non 2xx et erreurs de connexion) : ${errors}. Objectif p95 ≤ ${TARGET_RATIO}× le plancher : ${missed.length === 0 ? "atteint pour chaque route jugée" : `**non atteint** pour ${missed.map((route) => `${route.label} (${route.request}, ${ratioOf(route).toFixed(2)}×)`).join(", ")}`}.
`;
    if (ONLY) console.log("Mesure partielle (--seulement) : docs/benchmarks.md n'est pas modifié.");
    else writeBenchmarkSection(HEADING, section);
    if (errors > 0) {
      console.error(`${errors} erreur(s) pendant les mesures.`);
      failed = true;
    }
  } finally {
    await closeDatabase();
  }
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  failed = true;
} finally {
  await Promise.all(children.map(stop));
  await database.drop().catch((error) => console.error(`La base ${database.name} n'a pas pu être supprimée :`, error));
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
