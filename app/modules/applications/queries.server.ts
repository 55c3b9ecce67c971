import { asc, desc, eq, inArray } from "drizzle-orm";
import { db } from "~db/client.server";
import { applicationEvents, applicationPieces, applications, calls, memberships, organisations, users, waves } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { waveClosing, waveState } from "~/modules/calls/rules";
import { readCallRules } from "~/modules/calls/schema";
import { regionName } from "~/modules/geo/regions";
import { describeDepartements, summarizeTerritory } from "./territory.server";
import type { FormData } from "./form";
import { budgetChecks, budgetFigures, missingItems } from "./rules";
import { editableSections } from "./service.server";
import { findDossierForMember } from "./policy.server";
import { unreadCounts } from "./messages.server";

/**
 * Everything a dossier page shows, computed once on the server from the dossier, its call and its
 * pieces: the checks the applicant sees are the ones the ARS will see.
 */
export async function loadDossierView(dossier: typeof applications.$inferSelect, now = new Date()) {
  const [[call], [wave], [organisation], pieces, events] = await Promise.all([
    db.select().from(calls).where(eq(calls.id, dossier.callId)),
    db.select().from(waves).where(eq(waves.id, dossier.waveId)),
    db.select().from(organisations).where(eq(organisations.id, dossier.organisationId)),
    db.select().from(applicationPieces).where(eq(applicationPieces.applicationId, dossier.id)).orderBy(asc(applicationPieces.createdAt)),
    db
      .select({ id: applicationEvents.id, event: applicationEvents.event, fromStatus: applicationEvents.fromStatus, toStatus: applicationEvents.toStatus, motivation: applicationEvents.motivation, data: applicationEvents.data, createdAt: applicationEvents.createdAt, actorName: users.name })
      .from(applicationEvents)
      .leftJoin(users, eq(users.id, applicationEvents.actorId))
      .where(eq(applicationEvents.applicationId, dossier.id))
      .orderBy(asc(applicationEvents.createdAt), asc(applicationEvents.id)),
  ]);
  const rules = readCallRules(call.rules);
  const formData = dossier.formData as FormData;
  const territory = summarizeTerritory((formData.territoire?.communes ?? []).map((commune) => commune.code));
  const figures = budgetFigures(formData.budget);
  return {
    dossier: {
      id: dossier.id,
      reference: dossier.reference,
      status: dossier.status,
      title: dossier.title,
      version: dossier.version,
      formData,
      reopenedSections: dossier.reopenedSections,
      submittedAt: dossier.submittedAt?.toISOString() ?? null,
      submittedHash: dossier.submittedHash,
      updatedAt: dossier.updatedAt.toISOString(),
    },
    call: { id: call.id, title: call.title, rules },
    wave: { id: wave.id, number: wave.number, title: wave.title, state: waveState(wave, now), closesAt: waveClosing(wave).toISOString(), timeZone: wave.timeZone },
    organisation: { id: organisation.id, name: organisation.name, kind: organisation.kind, siret: organisation.siret },
    territory: {
      communes: territory.communes.map((c) => ({ code: c.code, name: c.name, departementCode: c.departementCode, population: c.population, postalCodes: c.postalCodes })),
      populationCovered: territory.populationCovered,
      departements: describeDepartements(territory.departementCodes),
      regionCodes: territory.regionCodes,
      regionName: territory.regionCode ? regionName(territory.regionCode) : null,
    },
    budget: { figures, checks: budgetChecks(figures, rules) },
    pieces: pieces.map((piece) => ({ id: piece.id, pieceCode: piece.pieceCode, fileName: piece.fileName, mimeType: piece.mimeType, sizeBytes: piece.sizeBytes, sha256: piece.sha256, createdAt: piece.createdAt.toISOString() })),
    missing: missingItems({ formData, pieceCodes: new Set(pieces.map((piece) => piece.pieceCode)), rules }),
    editable: editableSections(dossier),
    events: events.map((event) => ({ ...event, createdAt: event.createdAt.toISOString() })),
  };
}

export type DossierView = Awaited<ReturnType<typeof loadDossierView>>;

/** The dossier page of an applicant: 404 outside their organisations. */
export async function getDossierViewForMember(user: SessionUser, reference: string, now = new Date()) {
  const dossier = await findDossierForMember(user, reference);
  const view = await loadDossierView(dossier, now);
  const unread = (await unreadCounts(user.id, [dossier.id], "applicant")).get(dossier.id) ?? 0;
  return { ...view, unreadMessages: unread };
}

/** « Mon espace »: the user's organisations and their dossiers, with unread counts, in two queries. */
export async function listDossiersForMember(user: SessionUser) {
  const memberOf = await db
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind, siret: organisations.siret, role: memberships.role })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.userId, user.id))
    .orderBy(asc(organisations.name));
  const organisationIds = memberOf.map((organisation) => organisation.id);
  const dossiers =
    organisationIds.length === 0
      ? []
      : await db
          .select({
            id: applications.id,
            reference: applications.reference,
            title: applications.title,
            status: applications.status,
            organisationId: applications.organisationId,
            reopenedSections: applications.reopenedSections,
            updatedAt: applications.updatedAt,
            submittedAt: applications.submittedAt,
            waveTitle: waves.title,
            closesOn: waves.closesOn,
            closingTime: waves.closingTime,
            timeZone: waves.timeZone,
            opensOn: waves.opensOn,
          })
          .from(applications)
          .innerJoin(waves, eq(waves.id, applications.waveId))
          .where(inArray(applications.organisationId, organisationIds))
          .orderBy(desc(applications.updatedAt));
  const unread = await unreadCounts(user.id, dossiers.map((dossier) => dossier.id), "applicant");
  return {
    organisations: memberOf,
    dossiers: dossiers.map(({ closesOn, closingTime, timeZone, opensOn, ...dossier }) => ({
      ...dossier,
      updatedAt: dossier.updatedAt.toISOString(),
      submittedAt: dossier.submittedAt?.toISOString() ?? null,
      closesAt: waveClosing({ closesOn, closingTime, timeZone, opensOn }).toISOString(),
      unreadMessages: unread.get(dossier.id) ?? 0,
    })),
  };
}

