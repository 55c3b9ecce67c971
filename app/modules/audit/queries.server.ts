import { and, asc, desc, eq, gt, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "~db/client.server";
import { applications, auditLog, users } from "~db/schema";
import { zonedInstant } from "~/modules/calls/time";
import { DomainError } from "~/utils/errors";
import { auditHash, findBrokenLink, GENESIS_HASH, type StoredAuditRow } from "./chain";

/*
 * Reading the audit log: the managers' journal (filters, newest first, keyset pagination), the
 * rows an export streams, and the verification of the hash chain shared by the journal's button
 * and scripts/verify-audit.ts. Reads only: the log is written by recordAudit alone.
 */

const TIME_ZONE = "Europe/Paris";
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const optionalText = z
  .string()
  .trim()
  .max(200, "200 caractères au plus.")
  .optional()
  .transform((value) => (value ? value : undefined));
const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined))
  .refine((value) => value === undefined || (ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))), "Saisissez une date au format JJ/MM/AAAA.");

/** The journal's filters, as the query string gives them (blank = no filter). Dates are Paris calendar days. */
export const AuditFiltersSchema = z
  .object({
    action: optionalText,
    entityType: optionalText,
    actorId: optionalText,
    reference: optionalText,
    from: optionalDate,
    to: optionalDate,
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, { message: "La date de fin doit suivre la date de début.", path: ["to"] });
export type AuditFilters = Partial<z.infer<typeof AuditFiltersSchema>>;
export const AUDIT_FILTER_NAMES = ["action", "entityType", "actorId", "reference", "from", "to"] as const;

export function parseAuditFilters(raw: Record<string, unknown>): AuditFilters {
  const parsed = AuditFiltersSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  throw new DomainError("invalid_audit_filters", 400, "Les filtres du journal ne sont pas valides.", fieldErrors);
}

/** The filters as one SQL condition. A dossier reference matches its own rows and the rows about it (ledger entries, overrides). */
export async function auditCondition(filters: AuditFilters): Promise<SQL | undefined> {
  let dossierCondition: SQL | undefined;
  if (filters.reference) {
    const [dossier] = await db.select({ id: applications.id }).from(applications).where(eq(applications.reference, filters.reference.toUpperCase()));
    const reference = sql`${auditLog.data}->>'reference' = ${filters.reference.toUpperCase()}`;
    dossierCondition = dossier ? or(reference, and(eq(auditLog.entityType, "application"), eq(auditLog.entityId, dossier.id)), sql`${auditLog.data}->>'applicationId' = ${dossier.id}`) : reference;
  }
  // A day is from its midnight in Paris to the next midnight, whatever the offset that day.
  const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return and(
    filters.action ? eq(auditLog.action, filters.action) : undefined,
    filters.entityType ? eq(auditLog.entityType, filters.entityType) : undefined,
    filters.actorId ? eq(auditLog.actorId, filters.actorId) : undefined,
    dossierCondition,
    filters.from ? gte(auditLog.at, zonedInstant(filters.from, "00:00", TIME_ZONE)) : undefined,
    filters.to ? lt(auditLog.at, zonedInstant(nextDay(filters.to), "00:00", TIME_ZONE)) : undefined,
  );
}

const entryColumns = {
  id: auditLog.id,
  at: auditLog.at,
  actorId: auditLog.actorId,
  actorName: users.name,
  actorEmail: users.email,
  action: auditLog.action,
  entityType: auditLog.entityType,
  entityId: auditLog.entityId,
  data: auditLog.data,
  hash: auditLog.hash,
};
export type AuditEntryRow = { id: number; at: Date; actorId: string | null; actorName: string | null; actorEmail: string | null; action: string; entityType: string; entityId: string | null; data: unknown; hash: string };

export const AUDIT_PAGE_SIZE = 50;

/**
 * One page of the journal, newest first: the rows before `before` (an id), so that the next
 * page is the rows before the last one shown. Keyset, not OFFSET: page 200 costs what page 1 does.
 */
export async function listAuditEntries(filters: AuditFilters, options: { before?: number | null; pageSize?: number } = {}) {
  const pageSize = options.pageSize ?? AUDIT_PAGE_SIZE;
  const condition = await auditCondition(filters);
  const rows: AuditEntryRow[] = await db
    .select(entryColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(condition, options.before ? lt(auditLog.id, options.before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(pageSize + 1);
  const entries = rows.slice(0, pageSize);
  return { entries, nextBefore: rows.length > pageSize ? entries[entries.length - 1].id : null };
}

export async function countAuditEntries(filters: AuditFilters) {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(auditLog).where(await auditCondition(filters));
  return row.count;
}

/** The rows of an export, oldest first: `limit` rows after the id `after` (keyset batches). */
export async function auditEntriesAfter(condition: SQL | undefined, after: number | null, limit: number): Promise<AuditEntryRow[]> {
  return db
    .select(entryColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(condition, after === null ? undefined : gt(auditLog.id, after)))
    .orderBy(asc(auditLog.id))
    .limit(limit);
}

/** What the filters offer: the actions and entity types present, and the people who acted. */
export async function auditFilterOptions() {
  const [actions, entityTypes, actors] = await Promise.all([
    db.selectDistinct({ value: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action)),
    db.selectDistinct({ value: auditLog.entityType }).from(auditLog).orderBy(asc(auditLog.entityType)),
    db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(sql`exists (select 1 from ${auditLog} where ${auditLog.actorId} = ${users.id})`)
      .orderBy(asc(users.name)),
  ]);
  return { actions: actions.map((row) => row.value), entityTypes: entityTypes.map((row) => row.value), actors };
}

export const VERIFY_BATCH_SIZE = 1000;

export type ChainVerification =
  | { ok: true; rows: number }
  | {
      ok: false;
      /** Rows checked before the broken one: all intact. */
      rows: number;
      broken: { id: number; at: Date; action: string; reason: string; field: "hash" | "prevHash"; expected: string; stored: string };
    };

/**
 * Walks the whole chain in id order, a batch at a time (memory stays flat however long the log),
 * recomputing each row's hash with the rules of chain.ts. Stops at the first broken row and says
 * what was expected there: the hash of its content, or the link to the previous row.
 */
export async function verifyAuditChain(executor: Executor = db, batchSize = VERIFY_BATCH_SIZE): Promise<ChainVerification> {
  let previousHash = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows: StoredAuditRow[] = await executor
      .select({ id: auditLog.id, at: auditLog.at, actorId: auditLog.actorId, action: auditLog.action, entityType: auditLog.entityType, entityId: auditLog.entityId, data: auditLog.data, prevHash: auditLog.prevHash, hash: auditLog.hash })
      .from(auditLog)
      .where(gt(auditLog.id, lastId))
      .orderBy(asc(auditLog.id))
      .limit(batchSize);
    const broken = findBrokenLink(rows, previousHash);
    if (broken) {
      const index = rows.findIndex((row) => row.id === broken.id);
      const row = rows[index];
      const expectedPrev = index === 0 ? previousHash : rows[index - 1].hash;
      const linkBroken = row.prevHash !== expectedPrev;
      return {
        ok: false,
        rows: checked + index,
        broken: {
          id: row.id,
          at: row.at,
          action: row.action,
          reason: broken.reason,
          field: linkBroken ? "prevHash" : "hash",
          expected: linkBroken ? expectedPrev : auditHash(row.prevHash, row),
          stored: linkBroken ? row.prevHash : row.hash,
        },
      };
    }
    checked += rows.length;
    if (rows.length < batchSize) return { ok: true, rows: checked };
    previousHash = rows[rows.length - 1].hash;
    lastId = rows[rows.length - 1].id;
  }
}
