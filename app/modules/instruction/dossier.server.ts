import { and, eq } from "drizzle-orm";
import type { Executor, Transaction } from "~db/client.server";
import { applicationEvents, applicationPieces, applications, calls, conflictsOfInterest, organisations, type ApplicationStatus } from "~db/schema";
import { recordAudit } from "~/modules/audit/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import type { FormData } from "~/modules/applications/form";
import { dossierNotFound } from "~/modules/applications/policy.server";
import { budgetChecks, budgetFigures, missingItems } from "~/modules/applications/rules";
import { summarizeTerritory } from "~/modules/applications/territory.server";
import { readCallRules } from "~/modules/calls/schema";
import { DomainError } from "~/utils/errors";
import { admissibilityChecklist } from "./admissibility";
import { findDossierForAgent } from "./policy.server";

/** Shared steps of the instruction verbs (kept out of the verbs' files so each stays short). */

export type Dossier = typeof applications.$inferSelect;

/**
 * The dossier, in the agent's scope (404 otherwise), locked for the rest of the transaction:
 * every verb that changes a dossier's status, assignments or evaluations takes this lock first,
 * so they run one after the other per dossier and always in the same order (no deadlock).
 */
export async function lockDossierForAgent(tx: Transaction, actor: SessionUser, reference: string): Promise<Dossier> {
  const found = await findDossierForAgent(actor, reference, tx);
  const [locked] = await tx.select().from(applications).where(eq(applications.id, found.id)).for("update");
  if (!locked) dossierNotFound();
  return locked;
}

export async function callRulesOf(executor: Executor, callId: string) {
  const [call] = await executor.select({ rules: calls.rules }).from(calls).where(eq(calls.id, callId));
  return readCallRules(call?.rules);
}

export async function hasConflict(executor: Executor, applicationId: string, userId: string) {
  const [row] = await executor
    .select({ userId: conflictsOfInterest.userId })
    .from(conflictsOfInterest)
    .where(and(eq(conflictsOfInterest.applicationId, applicationId), eq(conflictsOfInterest.userId, userId)));
  return Boolean(row);
}

/** A status change: the history row (shown to the applicant) and the audit row, in the caller's transaction. */
export async function recordTransition(
  tx: Transaction,
  actor: SessionUser,
  dossier: { id: string; reference: string; status: ApplicationStatus },
  event: string,
  to: ApplicationStatus,
  details: { motivation?: string | null; data?: Record<string, unknown>; auditData?: Record<string, unknown> } = {},
) {
  await tx.insert(applicationEvents).values({ applicationId: dossier.id, actorId: actor.id, event, fromStatus: dossier.status, toStatus: to, motivation: details.motivation ?? null, data: details.data ?? {} });
  await recordAudit(tx, {
    actorId: actor.id,
    action: `dossier.${event}`,
    entityType: "application",
    entityId: dossier.id,
    data: { reference: dossier.reference, from: dossier.status, to, ...(details.motivation ? { motivation: details.motivation } : {}), ...details.data, ...details.auditData },
  });
}

/** The admissibility checklist of a dossier, computed inside a transaction (the dossier page uses the view's figures). */
export async function checklistFor(executor: Executor, dossier: Dossier) {
  const [rules, [organisation], pieces] = await Promise.all([
    callRulesOf(executor, dossier.callId),
    executor.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, dossier.organisationId)),
    executor.select({ pieceCode: applicationPieces.pieceCode }).from(applicationPieces).where(eq(applicationPieces.applicationId, dossier.id)),
  ]);
  const formData = dossier.formData as FormData;
  const territory = summarizeTerritory((formData.territoire?.communes ?? []).map((commune) => commune.code));
  return admissibilityChecklist({
    rules,
    missing: missingItems({ formData, pieceCodes: new Set(pieces.map((piece) => piece.pieceCode)), rules }),
    budgetChecks: budgetChecks(budgetFigures(formData.budget), rules),
    organisationKind: organisation.kind,
    dossierRegionCode: dossier.regionCode,
    territory: { regionCodes: territory.regionCodes, communeCount: territory.communes.length + territory.unknownCodes.length },
  });
}

export function forbidden(code: string, message: string): never {
  throw new DomainError(code, 403, message);
}
