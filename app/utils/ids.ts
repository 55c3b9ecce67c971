/**
 * The shapes of the ids a URL or a form may name. A value of another shape cannot name a row:
 * checking it before the query turns a forged id into « not found » instead of a database error
 * (a 500) — PostgreSQL refuses a malformed uuid, and any text holding a NUL character.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Dossier references (MB-2026-7K3QZX), account ids (base32 from Lucia): letters, digits and dashes. */
const KEY = /^[A-Za-z0-9_-]{1,64}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

export function isPlainKey(value: unknown): value is string {
  return typeof value === "string" && KEY.test(value);
}
