/**
 * The floor (a child process of scripts/bench/routes.ts): a bare node:http server and postgres.js,
 * nothing else. For each measured request it replays the statements the portal sent for it in
 * the recording run (session lookup included), in the same order, the same transactions and the
 * same concurrency, and answers the rows as JSON. No SQL is written here: all of it comes from
 * the recording.
 * Usage: DATABASE_URL=… PORT=… npx tsx scripts/bench/routes/floor.ts <recordings.json> <templates.json>
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import postgres from "postgres";
import { fillTemplate, replaySteps, type AutosaveTemplate, type RecordedStatement, type ReplayStep } from "./recording";
import type { Recording } from "./recording";

const [recordingsFile, templatesFile] = process.argv.slice(2);
const databaseUrl = process.env.DATABASE_URL;
if (!recordingsFile || !templatesFile || !databaseUrl) {
  console.error("Usage : DATABASE_URL=… PORT=… npx tsx scripts/bench/routes/floor.ts <recordings.json> <templates.json>");
  process.exit(2);
}

// The same pool size as the portal's (db/client.server.ts).
const sql = postgres(databaseUrl, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), onnotice: () => {} });
const recordings = new Map((JSON.parse(readFileSync(recordingsFile, "utf8")) as Recording[]).map((recording) => [recording.key, replaySteps(recording.statements)]));
const templates = new Map(Object.entries(JSON.parse(readFileSync(templatesFile, "utf8")) as Record<string, AutosaveTemplate>));

// Prepared statements, postgres.js's default and what the portal sends too (db/client.server.ts).
const run = (executor: postgres.Sql | postgres.ReservedSql, statement: RecordedStatement) =>
  executor.unsafe(statement.text, statement.params as postgres.ParameterOrJSON<never>[], { prepare: true });

async function replay(steps: ReplayStep[]) {
  const results: unknown[] = [];
  for (const step of steps) {
    if (step.kind === "together") {
      results.push(...(await Promise.all(step.statements.map((statement) => run(sql, statement)))));
      continue;
    }
    const reserved = await sql.reserve();
    try {
      for (const statement of step.statements) results.push(await run(reserved, statement));
    } catch (error) {
      await reserved.unsafe("rollback").catch(() => {});
      throw error;
    } finally {
      reserved.release();
    }
  }
  return results;
}

async function readBody(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const server = createServer(async (request, response) => {
  try {
    const url = new URL(request.url ?? "/", "http://floor");
    let steps: ReplayStep[] | undefined;
    if (request.method === "POST" && url.pathname.startsWith("/autosave/")) {
      const template = templates.get(decodeURIComponent(url.pathname.slice("/autosave/".length)));
      const { version } = JSON.parse(await readBody(request)) as { version: number };
      steps = template && replaySteps(fillTemplate(template, version));
    } else {
      steps = recordings.get(decodeURIComponent(url.pathname.slice(1)));
    }
    if (!steps) {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.stringify(await replay(steps));
    response.writeHead(200, { "Content-Type": "application/json; charset=utf-8" }).end(body);
  } catch (error) {
    console.error(error);
    response.writeHead(500).end();
  }
});

server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log(`plancher prêt sur le port ${process.env.PORT}`));
const stop = () => server.close(() => void sql.end({ timeout: 5 }).then(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
