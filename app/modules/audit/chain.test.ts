import { describe, expect, it } from "vitest";
import { auditHash, canonicalJson, findBrokenLink, GENESIS_HASH, type StoredAuditRow } from "./chain";

function chain(count: number): StoredAuditRow[] {
  const rows: StoredAuditRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let id = 1; id <= count; id++) {
    const fields = { at: new Date(Date.UTC(2024, 0, id)), actorId: "u1", action: "test.act", entityType: "dossier", entityId: `D${id}`, data: { n: id, b: "x" } };
    const hash = auditHash(prevHash, fields);
    rows.push({ id, ...fields, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

describe("audit chain", () => {
  it("accepts an untouched chain", () => {
    expect(findBrokenLink(chain(5))).toBeNull();
  });

  it("names the first row whose content changed", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], data: { n: 999, b: "x" } };
    expect(findBrokenLink(rows)).toEqual({ id: 3, reason: "le contenu de la ligne a été modifié" });
  });

  it("names the row after a deleted one", () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(findBrokenLink(rows)?.id).toBe(3);
  });

  it("hashes objects independently of key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe(canonicalJson({ a: { c: [3, { e: 5, f: 4 }], d: 2 }, b: 1 }));
  });
});
