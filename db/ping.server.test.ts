import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loader as healthz } from "~/routes/healthz";
import { databaseEngine, db, pingDatabase } from "./client.server";

/**
 * Keeps every connection of the app busy for `ms`, each in an open transaction: PGlite has one
 * connection (and runs one transaction at a time), the PostgreSQL pool DATABASE_POOL_SIZE (10 by
 * default). A ping issued meanwhile waits for a free connection, as it does while postgres.js
 * reconnects after a PostgreSQL restart. (Not pg_sleep: PGlite would block the event loop itself.)
 */
function occupyEveryConnection(ms: number) {
  const connections = databaseEngine === "pglite" ? 1 : Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return Promise.all(
    Array.from({ length: connections }, () =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await new Promise((resolve) => setTimeout(resolve, ms));
      }),
    ),
  );
}

describe("database ping (/healthz)", () => {
  it("answers « unreachable » within its timeout when the database cannot answer, and « ok » once it can", async () => {
    const busy = occupyEveryConnection(3_500);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = performance.now();
    await expect(pingDatabase(300)).rejects.toThrow(/did not answer within 300 ms/);
    expect(performance.now() - started).toBeLessThan(1_500);

    // The route's own timeout (2 s) runs out before the connections are free again.
    const response = await healthz();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "database unreachable" });

    await busy;
    await expect(pingDatabase(300)).resolves.toBeUndefined();
    expect((await healthz()).status).toBe(200);
  });
});
