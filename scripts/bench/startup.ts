import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { writeBenchmarkSection } from "../lib/benchmark-report";

/*
 * Time from `npm start` to the first 200 on the home page, with PGlite in a data folder:
 * a first start on an empty folder (migrations and the demo call seeded), then a second start on
 * the same folder; with `--with-build`, also a first start without a build (npm start builds the
 * portal first). Each start's phases are read from its welcome banner (« Démarrage : … », printed
 * by app/http/start.server.ts), the build's from the line scripts/build-if-stale.ts prints.
 *
 * Run from a checkout whose build is current: npx tsx scripts/bench/startup.ts [--with-build]
 * (--with-build moves build/ aside and keeps the one npm start makes). BENCH_REPORT=0 prints the
 * section instead of writing it into docs/benchmarks.md.
 */

const HEADING = "## Démarrage";
const READY_TIMEOUT_MS = 15 * 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface StartMeasure {
  label: string;
  /** From spawning `npm start` to the first 200 on /. */
  firstOkMs: number;
  /** From spawning to the welcome banner. */
  bannerMs: number | null;
  phases: string;
}

async function measureStart(label: string, dataDir: string): Promise<StartMeasure> {
  const port = await freePort();
  const started = performance.now();
  // The embedded engine and the development mailbox: what a newcomer's bare machine gets.
  const { DATABASE_URL: _database, SMTP_URL: _smtp, ...inherited } = process.env;
  const child = spawn("npm", ["start", "--silent"], {
    env: { ...inherited, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", JOBS: "on", PORTAL_MODE: "demo", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  let bannerMs: number | null = null;
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (bannerMs === null && output.includes("Portail Médicobus prêt")) bannerMs = performance.now() - started;
  });
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.once("exit", () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`npm start s'est arrêté avant de répondre :\n${output}`);
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`Pas de 200 en ${READY_TIMEOUT_MS / 1000} s :\n${output}`);
      const status = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const firstOkMs = performance.now() - started;
    // The banner is printed just before the server answers; give the pipe a moment to deliver it.
    for (let wait = 0; wait < 40 && !/Démarrage : .*\n/.test(output); wait++) await new Promise((resolve) => setTimeout(resolve, 50));
    // The build, when there is one, runs before the portal's process and prints its own line.
    const construction = /Construction : ([\d.]+ s)/.exec(output)?.[1];
    const phases = [construction ? `construction ${construction}` : null, /Démarrage : (.*)\n/.exec(output)?.[1] ?? "—"].filter(Boolean).join(", ");
    console.log(`${label} : premier 200 en ${(firstOkMs / 1000).toFixed(1)} s (${phases})`);
    return { label, firstOkMs, bannerMs, phases };
  } finally {
    // The whole group: npm, tsx and the node process they start.
    if (child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => (exited ? resolve(null) : child.once("exit", resolve)));
  }
}

const withBuild = process.argv.includes("--with-build");
if (!existsSync("build/server/index.js")) throw new Error("Pas de build : lancez `npm run build` d'abord (ou passez --with-build pour mesurer aussi un démarrage qui construit).");
const loadAtStart = loadavg()[0];
const folder = mkdtempSync(path.join(tmpdir(), "bench-startup-"));
const measures: StartMeasure[] = [];
try {
  if (withBuild) {
    renameSync("build", "build.bench-startup");
    try {
      measures.push(await measureStart("premier démarrage, sans build (construit d'abord)", path.join(folder, "avec-construction")));
    } finally {
      // The build npm start just made is current: keep it (the next starts reuse it), else put the old one back.
      if (existsSync("build/server/index.js")) rmSync("build.bench-startup", { recursive: true, force: true });
      else {
        rmSync("build", { recursive: true, force: true });
        renameSync("build.bench-startup", "build");
      }
    }
  }
  const dataDir = path.join(folder, "donnees");
  measures.push(await measureStart("premier démarrage, dossier de données vide, build à jour", dataDir));
  measures.push(await measureStart("second démarrage, même dossier de données", dataDir));
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const seconds = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);
const section = `${HEADING}

Commande : \`npx tsx scripts/bench/startup.ts${withBuild ? " --with-build" : ""}\` (dans une copie du dépôt dont le build est à jour) — mesuré le ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${availableParallelism()} cœurs, charge moyenne ${loadAtStart.toFixed(1)} au départ${loadAtStart < 2 ? "" : " : machine partagée et chargée, les durées sont celles d'un processus qui attend son tour sur les cœurs"}).

\`npm start\` avec PGlite (sans \`DATABASE_URL\`) dans un dossier de données neuf, en mode démonstration ; durée mesurée du lancement de la commande au premier 200 sur \`/\`. Les étapes viennent de la bannière de démarrage (\`app/http/start.server.ts\`, construit dans \`build/server/start.js\`) : construction (seulement si le build est plus ancien que les sources, par \`scripts/build-if-stale.ts\`), ouverture de la base (chargement de PGlite), migrations, données de démonstration (appel, comptes, dossiers), tâches de fond (pg-boss), serveur HTTP (chargement du build serveur).

| démarrage | premier 200 | bannière | étapes |
|---|---|---|---|
${measures.map((measure) => `| ${measure.label} | ${seconds(measure.firstOkMs)} | ${seconds(measure.bannerMs)} | ${measure.phases} |`).join("\n")}
`;

writeBenchmarkSection(HEADING, section);
