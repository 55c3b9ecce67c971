/**
 * drizzle wraps driver errors (DrizzleQueryError) and the two drivers shape them differently;
 * this finds the PostgreSQL error (SQLSTATE code and message) in the cause chain.
 */
export function findPgError(error: unknown): { code: string; message: string; constraint?: string } | null {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; constraint?: unknown; constraint_name?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint ?? candidate.constraint_name;
      return {
        code: candidate.code,
        message: String(candidate.message ?? ""),
        constraint: typeof constraint === "string" ? constraint : undefined,
      };
    }
    current = candidate.cause;
  }
  return null;
}

export const PG_UNIQUE_VIOLATION = "23505";
export const PG_SERIALIZATION_FAILURE = "40001";
export const PG_RAISE_EXCEPTION = "P0001";
