import { and, eq, inArray, ne, type SQL } from "drizzle-orm";
import { db, type Executor } from "~db/client.server";
import { applications } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { dossierNotFound } from "~/modules/applications/policy.server";
import { isPlainKey } from "~/utils/ids";
import { agentScope, type AgentScope } from "./scope";

/** The SQL condition of what an agent may see: submitted dossiers (never drafts) in its scope. */
export function agentScopeCondition(scope: AgentScope): SQL {
  const submitted = ne(applications.status, "draft");
  return scope.national ? submitted : and(submitted, inArray(applications.regionCode, scope.regionCodes))!;
}

/** A dossier as seen by an agent: outside its scope (or a draft) it does not exist (404). */
export async function findDossierForAgent(user: SessionUser, reference: string, executor: Executor = db) {
  const scope = agentScope(user);
  if (!scope || !isPlainKey(reference)) dossierNotFound();
  const [dossier] = await executor
    .select()
    .from(applications)
    .where(and(eq(applications.reference, reference), agentScopeCondition(scope)))
    .limit(1);
  if (!dossier) dossierNotFound();
  return dossier;
}
