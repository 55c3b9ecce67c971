import { DomainError } from "~/utils/errors";
import { hasRole, type SessionUser } from "./roles";

/**
 * The service-side guard of the administration verbs. Routes already call requireRole(…,
 * "admin"); the verbs check again so that a script or a future route cannot skip it.
 */
export function assertAdmin(actor: SessionUser) {
  if (!hasRole(actor, "admin")) {
    throw new DomainError("forbidden", 403, "Seul un administrateur du portail peut gérer les comptes.");
  }
}
