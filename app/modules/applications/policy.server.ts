import { and, eq } from "drizzle-orm";
import { db, type Executor } from "~db/client.server";
import { applications, memberships } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { DomainError } from "~/utils/errors";
import { isPlainKey, isUuid } from "~/utils/ids";

export function dossierNotFound(): never {
  throw new DomainError("dossier_not_found", 404, "Dossier introuvable.");
}

/**
 * A dossier as seen by a member of its organisation. The scope is in the query: a dossier of
 * another organisation is simply not found (404), never « forbidden », so its existence leaks nothing.
 */
export async function findDossierForMember(user: SessionUser, reference: string, executor: Executor = db) {
  if (!isPlainKey(reference)) dossierNotFound();
  const [row] = await executor
    .select({ dossier: applications, membershipRole: memberships.role })
    .from(applications)
    .innerJoin(memberships, and(eq(memberships.organisationId, applications.organisationId), eq(memberships.userId, user.id)))
    .where(eq(applications.reference, reference))
    .limit(1);
  if (!row) dossierNotFound();
  return row.dossier;
}

export async function assertMemberOf(user: SessionUser, organisationId: string, executor: Executor = db) {
  if (!isUuid(organisationId)) throw new DomainError("organisation_not_found", 404, "Organisation introuvable.");
  const [row] = await executor
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, user.id)));
  if (!row) throw new DomainError("organisation_not_found", 404, "Organisation introuvable.");
  return row.role;
}
