/**
 * An id as PostgreSQL's uuid columns take it. A value of another shape cannot name a row: checking
 * it before the query turns a forged id into « not found » instead of a database error (a 500).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
