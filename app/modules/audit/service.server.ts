import { desc, sql } from "drizzle-orm";
import type { Transaction } from "~db/client.server";
import { auditLog } from "~db/schema";
import { auditHash, GENESIS_HASH } from "./chain";

/** Arbitrary constant: the transaction-level lock that keeps the chain a single line. */
const AUDIT_CHAIN_LOCK = 7_263_012;

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Appends a row to the audit log, in the caller's transaction so that the audit row and the
 * change it records commit or roll back together. The lock serialises writers: two concurrent
 * transactions must not chain to the same previous row.
 */
export async function recordAudit(tx: Transaction, entry: AuditEntry) {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = {
    at: new Date(),
    actorId: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    data: entry.data ?? {},
  };
  await tx.insert(auditLog).values({ ...row, prevHash, hash: auditHash(prevHash, row) });
}
