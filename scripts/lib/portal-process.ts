import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "~db/schema";
import { portalCommand } from "./portal-build";

/*
 * What the fault and rush scripts share: a scratch database (a PostgreSQL database created and
 * dropped, or a PGlite data folder created and removed), the production portal started on it as
 * `npm start` starts it (`node build/server/start.js`, in its own process group so that `kill -9` reaches
 * every process of it), and a direct connection to the same data for the checks made after the
 * portal has stopped (PGlite: one process per data folder).
 */

export type Engine = "postgres" | "pglite";

export interface ScratchDatabase {
  engine: Engine;
  /** The variables that point the portal (and the app's db module) at this database. */
  env: Record<string, string | undefined>;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env.FAULTS_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function createScratchDatabase(engine: Engine, name: string): Promise<ScratchDatabase> {
  if (engine === "pglite") {
    const dataDir = mkdtempSync(path.join(tmpdir(), `${name}-`));
    return { engine, env: { DATABASE_URL: undefined, DATA_DIR: dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const database = `${name}_${process.pid}`.replace(/[^a-z0-9_]/g, "_");
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${database}`);
  await admin.unsafe(`create database ${database}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  // The files (receipts, pieces) still go to DATA_DIR: a folder of this run too.
  const filesDir = mkdtempSync(path.join(tmpdir(), `${name}-files-`));
  return {
    engine,
    env: { DATABASE_URL: url.toString(), DATA_DIR: filesDir },
    async drop() {
      const dropper = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${database} with (force)`);
      await dropper.end();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/** Points this process's app modules (imported after this call) at the scratch database. */
export function pointAppAt(database: ScratchDatabase) {
  for (const [key, value] of Object.entries(database.env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/** A connection of its own to the scratch database, with the app's schema, for the checks. */
export async function openDirect(database: ScratchDatabase) {
  if (database.engine === "pglite") {
    const client = new PGlite(path.resolve(database.env.DATA_DIR!, "pglite"));
    return { db: drizzlePglite(client, { schema }), close: () => client.close() };
  }
  const client = postgres(database.env.DATABASE_URL!, { max: 4, onnotice: () => {} });
  return { db: drizzlePostgres(client, { schema }), close: () => client.end() };
}

export interface RunningPortal {
  url: string;
  pid: number;
  /** SIGTERM to the process group, as a supervisor stops it; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL to the process group: no handler runs, nothing is flushed. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A script that fails half-way must not leave a portal holding its port and its database.
process.on("exit", () => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** Resolves once every process of the child's group has exited. */
async function groupExited(child: ChildProcess) {
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  for (;;) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the built portal as `npm start` does (`node build/server/start.js`, built first if stale) and waits for /healthz to answer 200. */
export async function startPortal(options: { database: ScratchDatabase; port: number; logFile: string; env?: Record<string, string>; timeoutMs?: number }): Promise<RunningPortal> {
  const log = openSync(options.logFile, "a");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(options.port), ...options.env };
  for (const [key, value] of Object.entries(options.database.env)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const [command, args] = portalCommand();
  const child = spawn(command, args, { detached: true, env, stdio: ["ignore", log, log] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Le portail s'est arrêté au démarrage (code ${child.exitCode}) : voir ${options.logFile}`);
    const status = await fetch(`${url}/healthz`).then((response) => response.status, () => 0);
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`Le portail ne répond pas sur ${url}/healthz : voir ${options.logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const signal = async (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // the group has already exited
    }
    await groupExited(child);
  };
  return { url, pid: child.pid!, stop: () => signal("SIGTERM"), kill: () => signal("SIGKILL") };
}

/** « 1.9 »: the one-minute load average, the machine's business when a run starts. */
export const loadAverage = () => loadavg()[0].toFixed(1);

/**
 * Without `--engine`, runs this script again once per engine, each in a process of its own (the
 * app's database module binds to one database per process), and exits with the worse code.
 * With it, returns the engine to run on.
 */
export function engineOfThisRun(engine: string | undefined): Engine {
  if (!engine) {
    let failed = false;
    for (const each of ["postgres", "pglite"]) {
      const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...process.argv.slice(2), "--engine", each], { stdio: "inherit" });
      failed ||= run.status !== 0;
    }
    process.exit(failed ? 1 : 0);
  }
  if (engine !== "postgres" && engine !== "pglite") throw new Error("--engine : postgres ou pglite");
  return engine;
}
