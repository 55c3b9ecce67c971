import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "~db/schema";
import { findPgError } from "./errors";
import { databaseEngine, db, transaction } from "./client.server";

describe("database client", () => {
  it("runs on the engine the environment names", () => {
    expect(databaseEngine).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
  });

  it("runs after-commit tasks only once the transaction has committed", async () => {
    const seen: string[] = [];
    await transaction(async (_tx, afterCommit) => {
      afterCommit(() => seen.push("after"));
      seen.push("inside");
    });
    expect(seen).toEqual(["inside", "after"]);
  });

  it("runs no after-commit task when the transaction rolls back", async () => {
    const seen: string[] = [];
    await expect(
      transaction(async (_tx, afterCommit) => {
        afterCommit(() => seen.push("after"));
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(seen).toEqual([]);
  });

  it("refuses to update or delete audit rows (append-only trigger)", async () => {
    const [row] = await db
      .insert(auditLog)
      .values({ action: "test.write", entityType: "test", prevHash: "0", hash: "1" })
      .returning({ id: auditLog.id });
    const update = await db.execute(sql`update audit_log set action = 'forged' where id = ${row.id}`).catch((error) => error);
    expect(findPgError(update)?.message).toMatch(/append-only \(UPDATE refused\)/);
    const remove = await db.execute(sql`delete from audit_log where id = ${row.id}`).catch((error) => error);
    expect(findPgError(remove)?.message).toMatch(/append-only \(DELETE refused\)/);
  });

  it("refuses the outer db inside a transaction instead of hanging (PGlite)", async () => {
    const outcome = await transaction(async () => db.execute(sql`select 1`)).then(
      () => "resolved",
      (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
    );
    expect(outcome).toMatch(databaseEngine === "pglite" ? /use the `tx`/ : /resolved/);
  });
});
