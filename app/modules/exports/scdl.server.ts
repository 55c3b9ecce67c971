import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "~db/client.server";
import { applications, calls, decisions, organisations } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { SCDL_COLUMNS, scdlProblems, scdlRow, type ScdlRow } from "~/modules/budget/scdl";
import { assertProgramManager } from "~/modules/budget/service.server";
import { readCallRules } from "~/modules/calls/schema";
import { contentDisposition } from "~/modules/files/download.server";
import { DomainError } from "~/utils/errors";
import { CSV_LINE_END, csvCell } from "./csv";
import { exportFileName, keysetBatches } from "./stream.server";

/**
 * The awarded subsidies as open data (SCDL « subventions » 2.1.1, rows built and checked by
 * app/modules/budget/scdl.ts): one row per current `selected` decision. Every row is checked
 * before a byte is sent; one row breaking a rule of the schema refuses the whole file (409) with
 * the list of problems, rather than publishing a file that data.gouv.fr's validator rejects.
 *
 * The file follows the schema's own CSV conventions, not the Excel FR export's: comma between
 * values (the schema's example files, and `;` is the separator inside `nature`), UTF-8 without a
 * byte order mark, the point as decimal separator, values written exactly (no apostrophe before
 * a leading « - » or « = »: open data carries the value, not a spreadsheet's display of it).
 * The schema defines a CSV file only, so there is no JSON variant.
 */

export const SCDL_SEPARATOR = ",";

/**
 * Who awards the subsidies (nomAttribuant, idAttribuant): the call's rules may name it under
 * `attribuant`; by default the ANCT, which carries the médicobus programme.
 */
const AttribuantSchema = z
  .object({ name: z.string().trim().min(1), siret: z.string().trim().min(1) })
  .default({ name: "Agence nationale de la cohésion des territoires", siret: "13002603200016" });

const current = and(eq(decisions.outcome, "selected"), isNull(decisions.reopenedAt), eq(applications.status, "selected"));

async function awardRows(after: string | null, limit: number) {
  return db
    .select({
      reference: applications.reference,
      title: applications.title,
      organisationName: organisations.name,
      organisationSiret: organisations.siret,
      awardedCents: decisions.awardedCents,
      decidedAt: decisions.decidedAt,
      rules: calls.rules,
    })
    .from(decisions)
    .innerJoin(applications, eq(applications.id, decisions.applicationId))
    .innerJoin(organisations, eq(organisations.id, applications.organisationId))
    .innerJoin(calls, eq(calls.id, applications.callId))
    .where(and(current, after === null ? undefined : gt(applications.reference, after)))
    .orderBy(asc(applications.reference))
    .limit(limit);
}
type AwardRow = Awaited<ReturnType<typeof awardRows>>[number];

/**
 * An award as its SCDL row. The convention is dated by the decision; the payments run from it
 * over the project's years (advance now, balance at the end) — `échelonné` when the call pays an
 * advance share, `unique` otherwise.
 */
function toScdl(row: AwardRow): ScdlRow {
  const rules = readCallRules(row.rules);
  const attribuant = AttribuantSchema.parse((row.rules as { attribuant?: unknown } | null)?.attribuant);
  const end = new Date(row.decidedAt);
  end.setUTCFullYear(end.getUTCFullYear() + rules.projectYears);
  const staggered = rules.advanceSharePercent > 0 && rules.advanceSharePercent < 100;
  return scdlRow({
    attribuant,
    conventionDate: row.decidedAt,
    decisionReference: row.reference,
    beneficiary: { name: row.organisationName, siret: row.organisationSiret },
    objet: row.title,
    awardedCents: row.awardedCents ?? 0,
    conditionsVersement: staggered ? "échelonné" : "unique",
    paymentPeriod: { from: row.decidedAt, to: staggered ? end : null },
    notificationUE: false,
  });
}

async function* scdlBatches() {
  for await (const batch of keysetBatches(awardRows, (row) => row.reference)) yield batch.map((row) => ({ reference: row.reference, row: toScdl(row) }));
}

export interface ScdlCheck {
  rows: number;
  /** Per dossier, the rules its row breaks, in French. */
  problems: Array<{ reference: string; messages: string[] }>;
}

/** Every row checked against the schema's field rules, a batch at a time. */
export async function checkScdlExport(actor: SessionUser): Promise<ScdlCheck> {
  assertProgramManager(actor);
  const check: ScdlCheck = { rows: 0, problems: [] };
  for await (const batch of scdlBatches()) {
    for (const { reference, row } of batch) {
      check.rows += 1;
      const problems = scdlProblems(row);
      if (problems.length > 0) check.problems.push({ reference, messages: problems.map((problem) => problem.message) });
    }
  }
  return check;
}

export function scdlLine(values: readonly string[]) {
  return values.map((value) => csvCell(value, SCDL_SEPARATOR)).join(SCDL_SEPARATOR) + CSV_LINE_END;
}

/** The open-data file, or a 409 naming each dossier whose row breaks a rule (nothing is sent then). */
export async function scdlResponse(actor: SessionUser, now = new Date()) {
  const check = await checkScdlExport(actor);
  if (check.problems.length > 0) {
    const list = check.problems.map((problem) => `${problem.reference} : ${problem.messages.join(" ")}`).join("\n");
    throw new DomainError("scdl_invalid", 409, `Le fichier des subventions ne peut pas être publié : ${check.problems.length} ligne${check.problems.length > 1 ? "s ne respectent" : " ne respecte"} pas le schéma SCDL.\n${list}`);
  }
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<Array<{ row: ScdlRow }>> | null = null;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(scdlLine(SCDL_COLUMNS)));
    },
    async pull(controller) {
      iterator ??= scdlBatches()[Symbol.asyncIterator]();
      const next = await iterator.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map(({ row }) => scdlLine(SCDL_COLUMNS.map((column) => row[column]))).join("")));
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition("attachment", exportFileName("subventions-scdl", "csv", now)),
      "X-Total-Rows": String(check.rows),
      "Cache-Control": "private, no-store",
    },
  });
}

/** How many awards the open-data file would hold. */
export async function countScdlRows() {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(decisions).innerJoin(applications, eq(applications.id, decisions.applicationId)).where(current);
  return row.count;
}
