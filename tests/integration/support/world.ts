import { eq } from "drizzle-orm";
import { db } from "~db/client.server";
import { applicationPieces, applications } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { fileStorage } from "~/modules/files/storage.server";
import { createOrganisation } from "../../fixtures/dossiers";
import { samplePdf } from "../../fixtures/files";
import { assignDirectly, BRETAGNE, createInstructionCast, createInstructionSetup, createSubmittedDossier } from "../../fixtures/instruction";
import { createAdmin, createUser } from "../../fixtures/users";
import type { Person } from "../route-policies";

export type SignedInPerson = Exclude<Person, "anonymous">;

/**
 * The eight people of route-policies.ts around one submitted Normandie dossier, assigned to the
 * Normandie ARS agent for its evaluation, with a stored piece and a submission snapshot; a second
 * dossier of the same organisation for the actions that would end the first one.
 */
export async function createPoliciesWorld() {
  const cast = await createInstructionCast();
  const [admin, otherApplicant] = await Promise.all([createAdmin(), createUser({ name: "Hugo Autre Porteur" })]);
  const otherOrganisation = await createOrganisation([{ user: otherApplicant }], { name: "Commune d'ailleurs", kind: "commune" });
  const { call, wave1, wave2, organisation, dossier } = await createInstructionSetup(cast.applicant);
  const spare = await createSubmittedDossier({ callId: call.id, waveId: wave2.id, organisationId: organisation.id, owner: cast.applicant });
  // What the receipt and the piece downloads read: the submission snapshot and a stored file.
  await db.update(applications).set({ submittedData: { reference: dossier.reference, formData: dossier.formData, pieces: [] } }).where(eq(applications.id, dossier.id));
  const stored = await fileStorage().put(samplePdf("Statuts de la CPTS"));
  const [piece] = await db
    .insert(applicationPieces)
    .values({ applicationId: dossier.id, pieceCode: "autre", fileName: "Statuts.pdf", mimeType: "application/pdf", sizeBytes: stored.sizeBytes, sha256: stored.sha256, uploadedBy: cast.applicant.id })
    .returning();
  await assignDirectly(dossier.id, "ars", cast.arsNormandie.id);
  if (cast.arsBretagne.roles[0].regionCode !== BRETAGNE) throw new Error("The Bretagne ARS agent must be scoped to Bretagne.");
  const people: Record<SignedInPerson, SessionUser> = {
    applicant: cast.applicant,
    otherApplicant,
    arsOwnRegion: cast.arsNormandie,
    arsOtherRegion: cast.arsBretagne,
    anctNational: cast.anctNational,
    manager: cast.manager,
    admin,
  };
  /** What the URL placeholders of the policies become. */
  const placeholders: Record<string, string> = {
    reference: dossier.reference,
    spareReference: spare.reference,
    pieceId: piece.id,
    organisationId: organisation.id,
    userId: cast.applicant.id,
    missingId: "00000000-0000-4000-8000-000000000000",
  };
  return { cast, people, placeholders, call, wave1, wave2, organisation, otherOrganisation, dossier, spare, piece };
}

/** A session cookie of a person (« name=value »), or null for the anonymous visitor. */
export async function sessionCookieOf(people: Record<SignedInPerson, SessionUser>, person: Person) {
  if (person === "anonymous") return null;
  return (await startSession(people[person].id)).split(";")[0];
}

/** A policy's URL or form value with its placeholders filled. */
export function fillPlaceholders(pattern: string, placeholders: Record<string, string>) {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (!(name in placeholders)) throw new Error(`Unknown placeholder :${name} in ${pattern}`);
    return placeholders[name];
  });
}
