import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { PORTAL_SERVER, portalNodeFlags } from "../../scripts/lib/portal-build";
import { adminUrl, databaseUrl, dropDatabase, withAdmin } from "../setup/postgres-admin";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const ARTIFACTS = path.resolve("tests/.artifacts");
const SERVER_LOG = path.join(ARTIFACTS, "server.log");
const READY_LINE = /Portail Médicobus prêt : (http:\/\/\S+)/;
const LOCK = path.join(ARTIFACTS, "e2e.lock");

/**
 * Starts the portal the way `npm start` does (`node build/server/start.js`, after the build), in demo mode, on a
 * fresh database: a temporary PGlite folder, or with TEST_DATABASE_URL a new PostgreSQL database
 * on that server. PORT=0 lets the system pick a free port; the URL is read from the start banner.
 */
export default async function setup(project: TestProject) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const releaseLock = await lockCheckout();
  build();

  const env: NodeJS.ProcessEnv = { ...process.env, PORTAL_MODE: "demo", NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", JOBS: "on" };
  // A developer's own mail server or public URL would send the journeys' mail elsewhere.
  delete env.SMTP_URL;
  delete env.PUBLIC_URL;
  delete env.DATABASE_URL;
  delete env.DATA_DIR;

  let dataDir: string | null = null;
  let database: string | null = null;
  if (adminUrl) {
    database = `mb_e2e_${process.pid}_${Date.now().toString(36)}`;
    await withAdmin((sql) => sql.unsafe(`create database "${database}"`));
    env.DATABASE_URL = databaseUrl(database);
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "medicobus-e2e-"));
    env.DATA_DIR = dataDir;
  }

  const log = createWriteStream(SERVER_LOG);
  // detached: its own process group lets us stop it and anything it starts.
  const child = spawn(process.execPath, [...portalNodeFlags(), PORTAL_SERVER], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const killGroup = () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", killGroup);

  let stopping = false;
  const cleanup = async () => {
    stopping = true;
    await stop(child);
    process.off("exit", killGroup);
    await new Promise((resolve) => log.end(resolve));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (database) await dropDatabase(database);
    releaseLock();
  };

  let baseUrl: string;
  try {
    baseUrl = await waitForReady(child, log);
    await waitForHealth(baseUrl);
  } catch (error) {
    await cleanup();
    printServerLog("Le portail n'a pas démarré");
    throw error;
  }
  project.provide("baseUrl", baseUrl);
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`Parcours : le portail s'est arrêté pendant les tests (code ${code ?? signal}).`);
  });
  console.log(`Parcours : portail démarré sur ${baseUrl} (${database ? `PostgreSQL, base ${database}` : "PGlite"})`);

  return async () => {
    const state = project.vitest.state;
    const failed = state.getCountOfFailedTests() > 0 || state.getFailedFilepaths().length > 0 || state.getUnhandledErrors().length > 0;
    await cleanup();
    if (failed) printServerLog("Sortie du portail pendant les parcours");
  };
}

/**
 * One run of the journeys at a time in a checkout: a run rebuilds build/, and a portal started by
 * another run would then serve pages whose scripts and styles no longer exist (404). The lock
 * holds the pid of its run; a lock left by a run that died is taken over.
 */
async function lockCheckout() {
  let announced = false;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: "wx" });
      const release = () => {
        if (readLock() === process.pid) rmSync(LOCK, { force: true });
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = readLock();
    // No pid yet: the other run is writing it this very moment.
    if (owner !== null && !isAlive(owner)) {
      rmSync(LOCK, { force: true });
      continue;
    }
    if (!announced) {
      console.log(`Parcours : une autre exécution des parcours (pid ${owner ?? "?"}) utilise build/ ; attente de sa fin…`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

function readLock() {
  try {
    const pid = Number(readFileSync(LOCK, "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** One production build per run, so the journeys test the sources as they are now. */
function build() {
  // A build can fail transiently while a file is being rewritten next to us: try again.
  for (let attempt = 1; ; attempt++) {
    // NODE_ENV: vitest sets it to « test », and Vite would then bundle React's development build.
    const result = spawnSync("npm", ["run", "build", "--silent"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    if (result.status === 0) return;
    if (attempt >= 4) {
      console.error(result.stdout, result.stderr);
      throw new Error("La construction du portail (npm run build) a échoué.");
    }
    spawnSync("sleep", ["5"]);
  }
}

function waitForReady(child: ChildProcess, log: NodeJS.WritableStream) {
  return new Promise<string>((resolve, reject) => {
    let seen: string | null = "";
    const timer = setTimeout(() => reject(new Error("Le portail n'a pas affiché « Portail Médicobus prêt » en 180 s.")), 180_000);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      if (seen === null) return;
      seen += chunk.toString("utf8");
      const match = READY_LINE.exec(seen);
      if (match) {
        clearTimeout(timer);
        seen = null;
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => log.write(chunk));
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Le portail s'est arrêté au démarrage (code ${code ?? signal}).`));
    });
  });
}

async function waitForHealth(baseUrl: string) {
  const deadline = Date.now() + 60_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.status === 200) return;
      last = `statut ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`/healthz ne répond pas 200 (${last}).`);
}

/** SIGTERM lets the portal close its database; SIGKILL if it does not stop in time. */
async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), 15_000)));
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await exited;
  }
}

function printServerLog(title: string) {
  let output = "";
  try {
    output = readFileSync(SERVER_LOG, "utf8");
  } catch {
    output = "(aucune sortie)";
  }
  const lines = output.split("\n");
  const tail = lines.length > 200 ? ["…", ...lines.slice(-200)] : lines;
  console.error(`\n── ${title} (${SERVER_LOG}) ──\n${tail.join("\n")}\n──`);
}
