/**
 * The one error type of the domain: a stable code, the HTTP status a route answers with and a
 * French message a user can read. Routes turn it into a response; anything else is a 500.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429,
    message: string,
    /** Field-level messages, keyed by form field name, shown next to the field. */
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export function notFound(message = "Page introuvable."): never {
  throw new Response(message, { status: 404, statusText: "Not Found" });
}

export function forbidden(message = "Vous n'avez pas accès à cette page."): never {
  throw new Response(message, { status: 403, statusText: "Forbidden" });
}

/** SQLSTATE 22021: PostgreSQL refuses any text holding a NUL character (U+0000). */
const NUL_IN_TEXT = "22021";

/**
 * A DomainError for what the database refused because of the input itself: a NUL character that
 * a browser never types but a crafted request can carry, in any text field. The statement failed,
 * so its transaction wrote nothing.
 */
export function inputRefusalOf(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  let cause: unknown = error;
  for (let depth = 0; cause && typeof cause === "object" && depth < 5; depth++) {
    if ((cause as { code?: unknown }).code === NUL_IN_TEXT) {
      return new DomainError("invalid_characters", 400, "Le texte contient un caractère invisible non accepté (caractère nul) : retirez-le et recommencez.");
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return null;
}
