/**
 * The recording run (a child process of scripts/bench/routes.ts): the portal's production build
 * served in this process on a postgres.js client whose `debug` hook notes every statement sent
 * (text, parameters, connection, time), then each request sent once to warm up and once recorded,
 * one at a time, so that every statement belongs to the request in flight.
 * Usage: npx tsx scripts/bench/routes/recorder.ts <requests.json> <recordings.json>
 */
import { readFileSync, writeFileSync } from "node:fs";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "~db/schema";
import type { RecordedRequest, RecordedStatement, Recording } from "./recording";

const [requestsFile, recordingsFile] = process.argv.slice(2);
const databaseUrl = process.env.DATABASE_URL;
if (!requestsFile || !recordingsFile || !databaseUrl) {
  console.error("Usage : DATABASE_URL=… npx tsx scripts/bench/routes/recorder.ts <requests.json> <recordings.json>");
  process.exit(2);
}

let current: { started: number; statements: RecordedStatement[] } | null = null;
const client = postgres(databaseUrl, {
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  onnotice: () => {},
  debug: (connection, text, params) => {
    current?.statements.push({ connection, text, params: [...params], at: performance.now() - current.started });
  },
});

// The portal keeps its one connection on globalThis (db/client.server.ts): put the recording
// client there before the build is loaded, and the build's queries go through it.
(globalThis as Record<symbol, unknown>)[Symbol.for("medicobus.database")] = {
  engine: "postgres",
  db: drizzle(client, { schema }),
  sql: { query: async (text: string, values?: unknown[]) => ({ rows: Array.from(await client.unsafe(text, values as never[])) }) },
  migrate: async () => {},
  ping: async () => void (await client`select 1`),
  close: () => client.end({ timeout: 5 }),
};

const { startHttpServer } = await import("~/http/server");
const server = await startHttpServer({ mode: "production", port: 0 });
const requests = JSON.parse(readFileSync(requestsFile, "utf8")) as RecordedRequest[];
const recordings: Recording[] = [];
try {
  for (const request of requests) {
    current = { started: performance.now(), statements: [] };
    const response = await fetch(`${server.url}${request.path}`, {
      method: request.method,
      headers: { ...request.headers, Origin: server.url },
      body: request.body,
      redirect: "manual",
    });
    await response.arrayBuffer();
    // Work the loader left running after the answer (none expected) would land in the next request.
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (response.status < 200 || response.status >= 300) throw new Error(`${request.key} : ${request.method} ${request.path} a répondu ${response.status}.`);
    if (request.record) recordings.push({ key: request.key, status: response.status, statements: current.statements });
    current = null;
  }
  writeFileSync(recordingsFile, JSON.stringify(recordings));
} finally {
  await server.close();
  await client.end({ timeout: 5 });
}
