/**
 * What the fault scripts share: child processes in their own process group (stopped, or killed,
 * even when the scenario fails), scratch databases, a timeline, the properties checked and the
 * exit code. Every scenario runs through `runScenario`, which cleans up in reverse order.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { portalCommand } from "../lib/portal-build";

const started = Date.now();
/** Seconds since the scenario started, for the timeline. */
export const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
export const log = (message: string) => console.log(`[${elapsed().padStart(6)} s] ${message}`);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const cleanups: Array<() => Promise<unknown> | unknown> = [];
export const onCleanup = (task: () => Promise<unknown> | unknown) => cleanups.push(task);

const results: Array<{ property: string; ok: boolean; detail: string }> = [];
/** Records one property of the scenario; the script exits 1 if any is false. */
export function check(property: string, ok: boolean, detail = "") {
  results.push({ property, ok, detail });
  console.log(`${ok ? "  OK   " : "  ÉCHEC"} ${property}${detail ? ` — ${detail}` : ""}`);
}

export async function runScenario(title: string, scenario: () => Promise<void>) {
  console.log(`${title}\nNode ${process.version}, charge de la machine au départ : ${(await import("node:os")).loadavg().map((load) => load.toFixed(2)).join(" / ")}\n`);
  let crashed: unknown = null;
  let finishing = false;
  const interrupt = () => {
    crashed = new Error("interrompu");
    void finish();
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    await scenario();
  } catch (error) {
    crashed = error;
  }
  await finish();

  async function finish() {
    if (finishing) return;
    finishing = true;
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()!();
      } catch (error) {
        console.error("nettoyage :", error instanceof Error ? error.message : error);
      }
    }
    if (crashed) console.error(`\nLe scénario n'a pas pu aller au bout : ${crashed instanceof Error ? (crashed.stack ?? crashed.message) : String(crashed)}`);
    const failed = results.filter((result) => !result.ok);
    console.log(`\n${results.length - failed.length}/${results.length} propriétés vérifiées${failed.length ? ` ; en échec : ${failed.map((result) => result.property).join(" ; ")}` : ""}.`);
    process.exit(crashed || failed.length > 0 || results.length === 0 ? 1 : 0);
  }
}

/** A TCP port free right now on the loopback (nobody listens on it once this returns). */
export async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The PostgreSQL server the scenarios create their databases on (never restarted by them). */
export const serverUrl = process.env.FAULTS_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function databaseUrlOn(server: string, database: string) {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new database for the scenario, dropped at cleanup (connections included). */
export async function scratchDatabase(prefix: string, server = serverUrl) {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const dropper = postgres(server, { max: 1, onnotice: () => {} });
    try {
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await dropper.end();
    }
  });
  return databaseUrlOn(server, name);
}

export interface Child {
  name: string;
  process: ChildProcess;
  /** Everything the child printed so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (or rejects when the child exits first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM to the process group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const TSX = path.resolve("node_modules/.bin/tsx");

/**
 * Runs `npx tsx <script>` in its own process group (tsx starts node under it: a group signal
 * reaches both), with its output kept and prefixed on the console when `echo` is set.
 */
export function spawnScript(name: string, script: string, env: Record<string, string | undefined>, options: { echo?: boolean } = {}): Child {
  return spawnChild(name, [TSX, [script]], env, options);
}

/** The built portal as `npm start` runs it (`node build/server/start.js`, built first if stale). */
export function spawnPortal(name: string, env: Record<string, string | undefined>, options: { echo?: boolean } = {}): Child {
  return spawnChild(name, portalCommand(), env, options);
}

function spawnChild(name: string, [command, args]: [string, string[]], env: Record<string, string | undefined>, options: { echo?: boolean }): Child {
  const child = spawn(command, args, { env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    if (options.echo) for (const line of text.split("\n").filter(Boolean)) console.log(`    ${name} | ${line}`);
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const exitHook = () => killGroup("SIGKILL");
  process.once("exit", exitHook);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const handle: Child = {
    name,
    process: child,
    output: () => output,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const done = (action: () => void) => {
          listeners.delete(test);
          clearTimeout(timer);
          child.off("exit", onExit);
          action();
        };
        const test = () => {
          const match = pattern.exec(output);
          if (match) done(() => resolve(match));
        };
        const onExit = (code: number | null) => done(() => reject(new Error(`${name} s'est arrêté (code ${code}) avant d'afficher ${pattern}.\n${output.slice(-3000)}`)));
        const timer = setTimeout(() => done(() => reject(new Error(`${name} n'a pas affiché ${pattern} en ${timeoutMs / 1000} s.\n${output.slice(-3000)}`))), timeoutMs);
        listeners.add(test);
        child.once("exit", onExit);
        test();
      });
    },
    async stop(graceMs = 20_000) {
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      process.off("exit", exitHook);
    },
  };
  onCleanup(() => handle.stop());
  return handle;
}
