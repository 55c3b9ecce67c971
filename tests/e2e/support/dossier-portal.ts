import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { adminUrl, databaseUrl, dropDatabase, withAdmin } from "../../setup/postgres-admin";

export interface DossierPortal {
  baseUrl: string;
  /** References of the seeded dossiers: complete draft, dossier in correction, draft closing in two days (not in a scene). */
  complete: string;
  corrected: string;
  closing: string | null;
  organisation: string;
  organisationId: string;
  /** With `scene: "every-page"` only (see everyPageScene in dossier-portal-server.ts). */
  scene: Partial<EveryPageScene>;
  stop(): Promise<void>;
}

export interface EveryPageScene {
  /** The letter batch of wave 1's decision. */
  batchId: string;
  /** A dossier of wave 1 selected by the decision. */
  selected: string;
  /** The Normandie dossier under review that the demo ARS and ANCT agents evaluate. */
  evaluated: string;
  /** An account (the demo ARS agent) for the administration page. */
  userId: string;
  /** A mail of the development mailbox. */
  mailId: string;
}

/**
 * A second portal, on its own fresh database (PGlite folder, or a new PostgreSQL database with
 * TEST_DATABASE_URL), whose dossiers were prepared through the services by
 * dossier-portal-server.ts. It serves the build the global setup made.
 */
/**
 * `scene`: the demo call alone (no overseas call, which would take over the programme pages),
 * plus, for « every-page », what everyPageScene prepares.
 */
export async function startDossierPortal(options: { scene?: "demo-call" | "every-page" } = {}): Promise<DossierPortal> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORTAL_MODE: "demo", NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", JOBS: "on" };
  if (options.scene) env.DOSSIER_PORTAL_SCENE = options.scene;
  delete env.SMTP_URL;
  delete env.PUBLIC_URL;
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  let dataDir: string | null = null;
  let database: string | null = null;
  if (adminUrl) {
    database = `mb_e2e_dossier_${process.pid}_${Date.now().toString(36)}`;
    await withAdmin((sql) => sql.unsafe(`create database "${database}"`));
    env.DATABASE_URL = databaseUrl(database);
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "medicobus-e2e-dossier-"));
    env.DATA_DIR = dataDir;
  }

  const child = spawn("npx", ["tsx", "tests/e2e/support/dossier-portal-server.ts"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ready = new Promise<Omit<DossierPortal, "stop" | "baseUrl"> & { url: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Le portail des dossiers n'a pas démarré en 180 s :\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /DOSSIER_PORTAL_READY (\{.*\})/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(JSON.parse(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Le portail des dossiers s'est arrêté (code ${code}) :\n${output}`));
    });
  });

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (database) await dropDatabase(database);
  };

  try {
    const { url, ...seeded } = await ready;
    return { ...seeded, baseUrl: url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
