import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { PGlite } from "@electric-sql/pglite";
import { asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { databaseEngine, db, transaction } from "~db/client.server";
import { auditLog } from "~db/schema";
import { auditHash } from "~/modules/audit/chain";
import { listAuditEntries, verifyAuditChain } from "~/modules/audit/queries.server";
import { recordAudit } from "~/modules/audit/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import * as journalPage from "~/routes/programme.journal";
import { createUser } from "../fixtures/users";

/**
 * The audit log as the programme team reads it (the journal page: filters, newest first, keyset
 * pages, chain verification on demand) and as scripts/verify-audit.ts checks it: intact, it
 * counts the rows and exits 0; after a row is changed behind the append-only trigger's back (the
 * table owner disables it, as an attacker with the owner's rights could), it names exactly that
 * row and exits 1.
 */

const ORIGIN = "http://portail.test";
type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;
const run = promisify(execFile);

async function call(handler: unknown, path: string, cookie: string | null, method = "GET") {
  const request = new Request(`${ORIGIN}${path}`, { method, headers: cookie ? { Cookie: cookie } : {}, body: method === "POST" ? new FormData() : undefined });
  return (handler as Handler)({ request, params: {}, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

const cookieFor = async (user: SessionUser) => (await startSession(user.id)).split(";")[0];

let manager: SessionUser;
let agent: SessionUser;
let cookies: { manager: string; agent: string };

async function audit(actor: SessionUser | null, action: string, entityType: string, entityId: string | null, data: Record<string, unknown>) {
  await transaction((tx) => recordAudit(tx, { actorId: actor?.id ?? null, action, entityType, entityId, data }));
}

/** Changes a stored row as only the table owner can: the append-only trigger off, the update, the trigger back on. */
async function tamper(id: number, change: Partial<{ data: Record<string, unknown>; prevHash: string }>) {
  await db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
  try {
    await db.update(auditLog).set(change).where(eq(auditLog.id, id));
  } finally {
    await db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
  }
}

/**
 * Runs the script as an operator would, on this file's database: PostgreSQL by its URL; the
 * in-memory PGlite copied to a data folder first (a PGlite database lives in one process).
 */
async function runScript() {
  const env: NodeJS.ProcessEnv = { ...process.env };
  let folder: string | null = null;
  if (databaseEngine === "pglite") {
    folder = mkdtempSync(path.join(tmpdir(), "verify-audit-"));
    const dump = await (db as unknown as { $client: PGlite }).$client.dumpDataDir("none");
    const copy = new PGlite(path.join(folder, "pglite"), { loadDataDir: dump });
    await copy.waitReady;
    await copy.close();
    delete env.DATABASE_URL;
    env.DATA_DIR = folder;
  }
  try {
    const { stdout, stderr } = await run(path.join("node_modules", ".bin", "tsx"), ["scripts/verify-audit.ts"], { env, cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  } finally {
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  manager = await createUser({ name: "Farid Programme", roles: ["program_manager"] });
  agent = await createUser({ name: "Alice ARS Normandie", roles: [{ role: "ars_agent", regionCode: "28" }] });
  cookies = { manager: await cookieFor(manager), agent: await cookieFor(agent) };
  await audit(manager, "override.set", "simulation_override", "o-1", { reference: "MB-2026-AAAAAA", justification: "Équilibre territorial", awardedCents: 90_000_00 });
  await audit(manager, "ledger.commitment", "ledger_entry", "1", { applicationId: "app-1", amountCents: 100_000_00, buses: 1 });
  await audit(agent, "dossier.admit", "application", "app-2", { reference: "MB-2026-BBBBBB", from: "submitted", to: "under_review" });
  for (let index = 0; index < 4; index++) await audit(manager, "dossier.select", "application", `app-${10 + index}`, { reference: `MB-2026-SEL00${index}`, to: "selected" });
});

describe("journal page", () => {
  it("lists the rows newest first with their author and action in French, a page at a time", async () => {
    const response = await call(journalPage.loader, "/programme/journal", cookies.manager);
    expect(response.status).toBe(200);
    const { page } = await response.json();
    const ids = page.entries.map((entry: { id: number }) => entry.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(page.total).toBe(ids.length);
    expect(page.entries.find((entry: { action: string }) => entry.action === "dossier.admit")).toMatchObject({ actorName: "Alice ARS Normandie", entityType: "application", data: { reference: "MB-2026-BBBBBB" } });

    // Keyset pages: each page holds the rows before the last one shown, none twice, none missed.
    const seen: number[] = [];
    let before: number | null = null;
    do {
      const next: Awaited<ReturnType<typeof listAuditEntries>> = await listAuditEntries({}, { before, pageSize: 3 });
      seen.push(...next.entries.map((entry) => entry.id));
      before = next.nextBefore;
    } while (before !== null);
    expect(seen).toEqual(ids);
    const second = await (await call(journalPage.loader, `/programme/journal?avant=${ids[2]}`, cookies.manager)).json();
    expect(second.page.entries.map((entry: { id: number }) => entry.id)).toEqual(ids.slice(3));
  });

  it("filters by action, object, author, dossier reference and Paris days", async () => {
    const ids = async (query: string) => ((await (await call(journalPage.loader, `/programme/journal?${query}`, cookies.manager)).json()).page.entries as Array<{ action: string }>).map((entry) => entry.action);
    expect(await ids("action=ledger.commitment")).toEqual(["ledger.commitment"]);
    expect(await ids("entityType=simulation_override")).toEqual(["override.set"]);
    expect(await ids(`actorId=${agent.id}`)).toEqual(["dossier.admit"]);
    expect(await ids("reference=mb-2026-aaaaaa")).toEqual(["override.set"]);
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
    expect(await ids(`from=${today}&to=${today}`)).toHaveLength(7);
    expect(await ids("from=2020-01-01&to=2020-01-31")).toEqual([]);
  });

  it("answers bad filters with 400 and the message of each field", async () => {
    const response = await call(journalPage.loader, "/programme/journal?from=31/12/2026&to=2026-01-01", cookies.manager);
    expect(response.status).toBe(400);
    const data = await response.json();
    expect(data.errors.message).toBe("Les filtres du journal ne sont pas valides.");
    expect(data.errors.fields.from).toEqual(["Saisissez une date au format JJ/MM/AAAA."]);
  });

  it("is for program managers only, its verification too", async () => {
    for (const method of ["GET", "POST"]) {
      const handler = method === "GET" ? journalPage.loader : journalPage.action;
      expect((await call(handler, "/programme/journal", cookies.agent, method)).status).toBe(403);
      expect((await call(handler, "/programme/journal", null, method)).status).toBe(302);
    }
  });
});

describe("hash chain verification", () => {
  it("counts an intact chain, across batches, in the page, the function and the script", async () => {
    const count = (await db.select({ id: auditLog.id }).from(auditLog)).length;
    expect(await verifyAuditChain(db, 2)).toEqual({ ok: true, rows: count });
    expect(await (await call(journalPage.action, "/programme/journal", cookies.manager, "POST")).json()).toEqual({ ok: true, rows: count });
    const script = await runScript();
    expect([script.code, script.stdout.trim()]).toEqual([0, `Journal d'audit intègre : ${count} lignes`]);
    // A child process that starts tsx and, on PGlite, the WASM database: slow on a loaded machine, not a measure.
  }, 120_000);

  it("names exactly the tampered row, with the expected and the stored hash, and the script exits 1", async () => {
    const rows = await db.select().from(auditLog).orderBy(asc(auditLog.id));
    const target = rows.find((row) => row.action === "ledger.commitment")!;
    await tamper(target.id, { data: { ...(target.data as Record<string, unknown>), amountCents: 1_000_000_00 } });
    try {
      const result = await verifyAuditChain(db, 2);
      const expectedHash = auditHash(target.prevHash, { ...target, data: { ...(target.data as Record<string, unknown>), amountCents: 1_000_000_00 } });
      expect(result).toEqual({
        ok: false,
        rows: rows.indexOf(target),
        broken: { id: target.id, at: target.at, action: "ledger.commitment", reason: "le contenu de la ligne a été modifié", field: "hash", expected: expectedHash, stored: target.hash },
      });
      const page = await (await call(journalPage.action, "/programme/journal", cookies.manager, "POST")).json();
      expect(page).toMatchObject({ ok: false, broken: { id: target.id } });

      const script = await runScript();
      expect(script.code).toBe(1);
      expect(script.stderr).toContain(`Journal d'audit rompu à la ligne ${target.id} : le contenu de la ligne a été modifié.`);
      expect(script.stderr).toContain("action   : ledger.commitment");
      expect(script.stderr).toContain(`attendu  : ${expectedHash}`);
      expect(script.stderr).toContain(`enregistré : ${target.hash}`);
    } finally {
      await tamper(target.id, { data: target.data as Record<string, unknown> });
    }
    expect((await verifyAuditChain()).ok).toBe(true);
  }, 120_000);

  it("names the row whose link to the previous one was rewritten", async () => {
    const rows = await db.select().from(auditLog).orderBy(asc(auditLog.id));
    const target = rows[rows.length - 2];
    await tamper(target.id, { prevHash: "f".repeat(64) });
    try {
      expect(await verifyAuditChain(db, 3)).toMatchObject({ ok: false, broken: { id: target.id, field: "prevHash", expected: rows[rows.length - 3].hash, stored: "f".repeat(64) } });
    } finally {
      await tamper(target.id, { prevHash: target.prevHash });
    }
  });
});
