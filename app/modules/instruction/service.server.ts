import { eq, sql } from "drizzle-orm";
import { transaction } from "~db/client.server";
import { applicationEvents, applications } from "~db/schema";
import { correctionsRequestedMail } from "~emails/corrections-requested";
import { queueMail } from "~emails/send.server";
import { recordAudit } from "~/modules/audit/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { SECTIONS, type SectionKey } from "~/modules/applications/form";
import { checkTransition } from "~/modules/applications/lifecycle";
import { appendMessage, recipientsOf } from "~/modules/applications/messages.server";
import { DomainError } from "~/utils/errors";
import { findDossierForAgent } from "./policy.server";
import { isArsAgentOf } from "./scope";

const SECTION_TITLES = new Map<string, string>(SECTIONS.map((section) => [section.key, section.title]));

/**
 * An ARS agent asks for corrections: the chosen sections reopen for the applicant, the request is
 * written in the thread and mailed to every member; the dossier comes back when resubmitted.
 */
export async function requestCorrections(actor: SessionUser, reference: string, input: { sections: string[]; message: string; origin: string; now?: Date }) {
  const sections = [...new Set(input.sections)].filter((key): key is SectionKey => SECTION_TITLES.has(key) && key !== "engagement");
  if (sections.length === 0) {
    throw new DomainError("no_sections", 400, "Choisissez au moins une partie du dossier à rouvrir.", { sections: ["Choisissez au moins une partie du dossier à rouvrir."] });
  }
  return transaction(async (tx, afterCommit) => {
    const found = await findDossierForAgent(actor, reference, tx);
    const [dossier] = await tx.select().from(applications).where(eq(applications.id, found.id)).for("update");
    if (!isArsAgentOf(actor, dossier.regionCode)) throw new DomainError("not_ars_of_region", 403, "Seule l'ARS de la région du dossier peut demander des corrections.");
    const check = checkTransition(dossier.status, "request_changes", ["ars_agent"], input.message);
    if (!check.allowed) {
      throw new DomainError(`transition_${check.reason}`, check.reason === "motivation" ? 400 : 409, check.message, check.reason === "motivation" ? { message: [check.message] } : {});
    }
    const now = input.now ?? new Date();
    await tx.update(applications).set({ status: "changes_requested", reopenedSections: sections, updatedAt: now, version: sql`${applications.version} + 1` }).where(eq(applications.id, dossier.id));
    await tx.insert(applicationEvents).values({ applicationId: dossier.id, actorId: actor.id, event: "request_changes", fromStatus: dossier.status, toStatus: "changes_requested", motivation: input.message.trim(), data: { sections } });
    await recordAudit(tx, { actorId: actor.id, action: "dossier.request_changes", entityType: "application", entityId: dossier.id, data: { reference, from: dossier.status, to: "changes_requested", sections } });
    const sectionTitles = sections.map((key) => SECTION_TITLES.get(key) ?? key);
    await appendMessage(tx, afterCommit, { dossier, author: actor, side: "agent", body: `Corrections demandées (${sectionTitles.join(", ")}) :\n${input.message.trim()}`, origin: input.origin, now, notify: false });
    for (const member of await recipientsOf(tx, dossier, "applicant")) {
      await queueMail(tx, afterCommit, { to: member.email, template: correctionsRequestedMail, data: { name: member.name, reference, sections: sectionTitles, message: input.message.trim(), url: new URL(`/dossiers/${reference}`, input.origin).toString() } });
    }
    return { sections };
  });
}
