import { createHash } from "node:crypto";

/** The hash the first audit row chains to. */
export const GENESIS_HASH = "0".repeat(64);

export interface AuditFields {
  at: Date;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  data: unknown;
}

/** JSON with object keys sorted, so that jsonb's reordering of keys does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Each row's hash covers its content and the previous row's hash: changing any row breaks the chain after it. */
export function auditHash(prevHash: string, row: AuditFields) {
  const payload = canonicalJson({
    prevHash,
    at: row.at.toISOString(),
    actorId: row.actorId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    data: row.data,
  });
  return createHash("sha256").update(payload).digest("hex");
}

export interface StoredAuditRow extends AuditFields {
  id: number;
  prevHash: string;
  hash: string;
}

/** The first row whose link or content does not match, or null when the chain is whole. */
export function findBrokenLink(rows: Iterable<StoredAuditRow>, startHash = GENESIS_HASH) {
  let expectedPrev = startHash;
  for (const row of rows) {
    if (row.prevHash !== expectedPrev) return { id: row.id, reason: "le lien vers la ligne précédente ne correspond pas" };
    if (auditHash(row.prevHash, row) !== row.hash) return { id: row.id, reason: "le contenu de la ligne a été modifié" };
    expectedPrev = row.hash;
  }
  return null;
}
