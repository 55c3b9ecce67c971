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
