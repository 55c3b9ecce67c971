import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { db } from "~db/client.server";
import { applications, memberships, roleAssignments, users, waves } from "~db/schema";
import { seedVolume } from "~db/seed/volume";
import { startSession } from "~/modules/auth/session.server";
import { setOverride } from "~/modules/budget/decisions.server";
import type { SessionUser } from "~/modules/auth/roles";

/*
 * What the measures need on top of the volume seed: an applicant member of thirty organisations
 * of wave 2 (twenty drafts to autosave, twice the connections: a request takes a draft no other
 * request in flight is writing, so that a version conflict stays a real error; ten dossiers
 * further on), the ARS agent of
 * Normandie and the programme manager of the seed, and two simulation overrides on wave 2.
 *
 * Sessions are created with the auth module (startSession, the function sign-in ends with) rather
 * than through POST /connexion: the volume seed's accounts have no password, and a sign-in per role
 * would only add an argon2 hash and the throttling counters to a run that measures other routes.
 */
export const AUTOSAVE_DRAFTS = 20;
const OTHER_DOSSIERS = 10;
const APPLICANT_EMAIL = "porteur.mesures@volume.demo.medicobus.fr";

export interface Draft {
  reference: string;
  section: string;
  data: unknown;
}

export interface Fixtures {
  callId: string;
  wave1: string;
  wave2: string;
  cookies: { applicant: string; agent: string; manager: string };
  drafts: Draft[];
  dossierReference: string;
}

function cookiePair(serialized: string) {
  return serialized.split(";")[0];
}

export async function seedFixtures(count: number): Promise<Fixtures> {
  const seeded = await seedVolume({ count, seed: 1 });
  const [wave1, wave2] = seeded.waveIds;
  const drafts = await db
    .select({ reference: applications.reference, organisationId: applications.organisationId, formData: applications.formData })
    .from(applications)
    .where(and(eq(applications.waveId, wave2), eq(applications.status, "draft"), sql`${applications.formData} ? 'porteur'`))
    .orderBy(asc(applications.reference))
    .limit(AUTOSAVE_DRAFTS);
  const others = await db
    .select({ reference: applications.reference, organisationId: applications.organisationId })
    .from(applications)
    .where(and(eq(applications.waveId, wave2), inArray(applications.status, ["under_review", "changes_requested", "reviewed", "submitted"])))
    .orderBy(asc(applications.reference))
    .limit(OTHER_DOSSIERS);
  if (drafts.length < AUTOSAVE_DRAFTS || others.length < OTHER_DOSSIERS) throw new Error("Le jeu en volume n'a pas assez de dossiers de la vague 2 pour les mesures.");

  const [applicant] = await db.insert(users).values({ id: "mesures-porteur", email: APPLICANT_EMAIL, name: "Porteur des mesures", emailVerifiedAt: new Date() }).returning();
  await db.insert(roleAssignments).values({ userId: applicant.id, role: "applicant", regionCode: null });
  await db.insert(memberships).values([...drafts, ...others].map((dossier) => ({ organisationId: dossier.organisationId, userId: applicant.id, role: "editor" as const })));

  const agentOf = async (role: "ars_agent" | "program_manager", regionCode: string | null) => {
    const [found] = await db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(roleAssignments)
      .innerJoin(users, eq(users.id, roleAssignments.userId))
      .where(and(eq(roleAssignments.role, role), regionCode ? eq(roleAssignments.regionCode, regionCode) : sql`true`))
      .limit(1);
    if (!found) throw new Error(`Aucun compte ${role} dans le jeu en volume.`);
    return found;
  };
  const agent = await agentOf("ars_agent", "28");
  const manager = await agentOf("program_manager", null);
  const managerUser: SessionUser = { ...manager, roles: [{ role: "program_manager", regionCode: null }] };

  // The simulator answers with the stored overrides: one exclusion and one amount on wave 2.
  const ranked = await db
    .select({ reference: applications.reference, requestedCents: applications.requestedCents })
    .from(applications)
    .innerJoin(waves, eq(waves.id, applications.waveId))
    .where(and(eq(applications.waveId, wave2), eq(applications.status, "reviewed")))
    .orderBy(asc(applications.reference))
    .limit(2);
  await setOverride(managerUser, wave2, { reference: ranked[0].reference, mode: "exclude", justification: "Projet déjà financé par la région (mesure de charge)." });
  await setOverride(managerUser, wave2, { reference: ranked[1].reference, mode: "amount", awardedCents: Math.max(1, Math.floor((ranked[1].requestedCents ?? 100_000_00) * 0.9)), justification: "Montant ajusté au plan de financement (mesure de charge)." });
  await db.execute(sql`analyze`);

  return {
    callId: seeded.callId,
    wave1,
    wave2,
    cookies: {
      applicant: cookiePair(await startSession(applicant.id)),
      agent: cookiePair(await startSession(agent.id)),
      manager: cookiePair(await startSession(manager.id)),
    },
    drafts: drafts.map((draft) => ({ reference: draft.reference, section: "porteur", data: (draft.formData as Record<string, unknown>).porteur })),
    dossierReference: others[0].reference,
  };
}

/** The current version of each draft: the autosave must post it, and the check after a run counts on it. */
export async function draftVersions(references: string[]) {
  const rows = await db.select({ reference: applications.reference, version: applications.version }).from(applications).where(inArray(applications.reference, references));
  return new Map(rows.map((row) => [row.reference, row.version]));
}
