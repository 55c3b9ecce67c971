/**
 * A throwaway PostgreSQL cluster for the scenarios that stop the server: its own data folder and
 * port under /tmp, trust authentication on the loopback, removed at cleanup. The machine's own
 * server is never touched. initdb refuses to run as root, so as root the tools run as `postgres`.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { postgresBinary } from "../lib/postgres-binaries";
import { databaseUrlOn, freePort, onCleanup } from "./support";

const asRoot = process.getuid?.() === 0;

/** Asynchronous: the scenario's clients must keep sending requests while the server stops and starts. */
async function runTool(tool: string, args: string[]) {
  const binary = postgresBinary(tool);
  const [command, fullArgs] = asRoot ? ["runuser", ["-u", "postgres", "--", binary, ...args]] : [binary, args];
  await promisify(execFile)(command, fullArgs, { encoding: "utf8" });
}

export interface Cluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  serverUrl: string;
  databaseUrl(name: string): string;
  start(): Promise<void>;
  /** Fast shutdown: open sessions are cut, as when the server restarts for an upgrade or a crash. */
  stop(): Promise<void>;
}

export async function throwawayCluster(prefix: string): Promise<Cluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-pg-`));
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "postgresql.log");
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  await runTool("initdb", ["-D", dataDir, "--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C.UTF-8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`;
  let running = false;
  const cluster: Cluster = {
    serverUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    databaseUrl: (name) => databaseUrlOn(cluster.serverUrl, name),
    async start() {
      await runTool("pg_ctl", ["-D", dataDir, "-o", options, "-l", logFile, "-w", "start"]);
      running = true;
    },
    async stop() {
      await runTool("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      running = false;
    },
  };
  onCleanup(async () => {
    if (running) await cluster.stop();
  });
  await cluster.start();
  return cluster;
}
