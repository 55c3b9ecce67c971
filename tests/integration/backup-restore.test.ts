import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { transaction, type Database } from "~db/client.server";
import * as schema from "~db/schema";
import { seedDemo } from "~db/seed/demo";
import { seedVolume } from "~db/seed/volume";
import { verifyAuditChain } from "~/modules/audit/queries.server";
import { recordAudit } from "~/modules/audit/service.server";
import { dropDatabase } from "../setup/postgres-admin";

const run = promisify(execFile);
const TSX = path.resolve("node_modules/.bin/tsx");

/** Rows of every table outside PostgreSQL's own schemas: the portal's, drizzle's and pg-boss's. */
async function rowCounts(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ schema: string; name: string }[]>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
      order by 1, 2`;
    const counts: Record<string, number> = {};
    for (const { schema: owner, name } of tables) {
      const [{ count }] = await sql.unsafe<{ count: number }[]>(`select count(*)::int as count from "${owner}"."${name}"`);
      counts[`${owner}.${name}`] = count;
    }
    return counts;
  } finally {
    await sql.end();
  }
}

async function script(name: string, args: string[]) {
  try {
    const { stdout } = await run(TSX, [`scripts/${name}.ts`, ...args], { env: { ...process.env } });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

// pg_dump and pg_restore work on a PostgreSQL server; the embedded PGlite is backed up by copying
// its data folder while the portal is stopped (README, « Sauvegarde et restauration »).
describe.skipIf(!process.env.TEST_DATABASE_URL)("backup and restore (PostgreSQL only: pg_dump/pg_restore need a server, PGlite is saved by copying DATA_DIR)", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "medicobus-backup-"));
  const restoredName = `mb_restore_${process.pid}_${Date.now().toString(36)}`;
  const targetUrl = () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${restoredName}`;
    return url.toString();
  };

  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await dropDatabase(restoredName);
  });

  it("restores into a fresh database every row of every table and an intact audit chain, and refuses a non-empty target", async () => {
    await seedDemo();
    await seedVolume({ count: 150, seed: 7 });
    await transaction(async (tx) => {
      for (let step = 0; step < 20; step++) {
        await recordAudit(tx, { actorId: null, action: "test.backup", entityType: "call", data: { step } });
      }
    });
    const source = await rowCounts(process.env.DATABASE_URL!);
    expect(source["public.applications"]).toBeGreaterThanOrEqual(150);
    expect(source["public.audit_log"]).toBeGreaterThanOrEqual(22);

    const backup = await script("backup", [folder]);
    expect(backup.code, backup.output).toBe(0);
    const [file] = readdirSync(folder);
    expect(file).toMatch(/^mb_t_\w+-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.dump$/);

    const restore = await script("restore", [path.join(folder, file), targetUrl()]);
    expect(restore.code, restore.output).toBe(0);

    expect(await rowCounts(targetUrl())).toEqual(source);
    const client = postgres(targetUrl(), { max: 1, onnotice: () => {} });
    try {
      const restored = drizzle(client, { schema }) as unknown as Database;
      expect(await verifyAuditChain(restored)).toEqual({ ok: true, rows: source["public.audit_log"] });
    } finally {
      await client.end();
    }

    // The live database (not empty) is never a restore target, and the refusal writes nothing.
    const refused = await script("restore", [path.join(folder, file), process.env.DATABASE_URL!]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/Restauration refusée : la base « mb_t_\w+ » n'est pas vide/);
    expect(await rowCounts(process.env.DATABASE_URL!)).toEqual(source);
  }, 120_000);
});
