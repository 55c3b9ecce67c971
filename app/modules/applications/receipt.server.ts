import { and, desc, eq, inArray } from "drizzle-orm";
import { db } from "~db/client.server";
import { applicationEvents, applications, calls, organisations, users, waves } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { waveClosing } from "~/modules/calls/rules";
import { readCallRules } from "~/modules/calls/schema";
import { findCommune } from "~/modules/geo/communes.server";
import { regionName } from "~/modules/geo/regions";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";
import { DomainError } from "~/utils/errors";
import type { ReceiptData } from "~templates/receipt";
import type { FormData } from "./form";
import { findDossierForMember } from "./policy.server";
import { budgetFigures } from "./rules";
import { describeDepartements, summarizeTerritory } from "./territory.server";

/** What submitDossier froze at submission: the receipt shows this, never the live form. */
interface SubmittedSnapshot {
  reference: string;
  formData: FormData;
  pieces: Array<{ pieceCode: string; fileName: string; sha256: string; sizeBytes: number }>;
}

function receiptNotAvailable(): never {
  throw new DomainError("receipt_not_available", 404, "Le récépissé est disponible une fois le dossier déposé.");
}

/**
 * The receipt of the last submission of a dossier, from its submitted snapshot (what the hash
 * covers) plus what the snapshot only points to: organisation, call, wave, territory.
 * A dossier never submitted has none (404).
 */
export async function receiptDataFor(dossierId: string): Promise<ReceiptData> {
  const [dossier] = await db.select().from(applications).where(eq(applications.id, dossierId));
  if (!dossier?.submittedData || !dossier.submittedAt || !dossier.submittedHash) receiptNotAvailable();
  const snapshot = dossier.submittedData as SubmittedSnapshot;

  const [[organisation], [wave], [call], [submission]] = await Promise.all([
    db.select().from(organisations).where(eq(organisations.id, dossier.organisationId)),
    db.select().from(waves).where(eq(waves.id, dossier.waveId)),
    db.select({ title: calls.title, rules: calls.rules }).from(calls).where(eq(calls.id, dossier.callId)),
    // The person who made the submission the snapshot comes from: the latest (re)submission.
    db
      .select({ actorName: users.name })
      .from(applicationEvents)
      .leftJoin(users, eq(users.id, applicationEvents.actorId))
      .where(and(eq(applicationEvents.applicationId, dossier.id), inArray(applicationEvents.event, ["submit", "resubmit"])))
      .orderBy(desc(applicationEvents.createdAt), desc(applicationEvents.id))
      .limit(1),
  ]);

  const rules = readCallRules(call.rules);
  const pieceLabels = new Map(rules.pieces.map((piece) => [piece.code, piece.label]));
  const formData = snapshot.formData;
  const territory = summarizeTerritory((formData.territoire?.communes ?? []).map((commune) => commune.code));
  const figures = budgetFigures(formData.budget);
  const seat = findCommune(organisation.seatCommuneCode);

  return {
    reference: dossier.reference,
    submittedAt: dossier.submittedAt.toISOString(),
    callTitle: call.title,
    waveTitle: wave.title,
    closesAt: waveClosing(wave).toISOString(),
    organisation: {
      name: organisation.name,
      siret: organisation.siret,
      kindLabel: ORGANISATION_KIND_LABELS[organisation.kind],
      seatCommune: seat ? `${seat.name} (${seat.departementCode})` : organisation.seatCommuneCode,
    },
    projectTitle: formData.porteur?.projectTitle ?? "",
    regionName: territory.regionCode ? regionName(territory.regionCode) : "",
    departements: describeDepartements(territory.departementCodes),
    communesCount: territory.communes.length,
    populationCovered: territory.populationCovered,
    totalCostCents: figures.totalCostCents,
    requestedCents: figures.requestedCents,
    stateSharePercent: figures.stateSharePercent,
    signatory: { name: formData.engagement?.signatoryName ?? "", capacity: formData.engagement?.signatoryCapacity ?? "" },
    pieces: snapshot.pieces.map((piece) => ({ label: pieceLabels.get(piece.pieceCode) ?? piece.pieceCode, fileName: piece.fileName, sha256: piece.sha256 })),
    contentSha256: dossier.submittedHash,
    submittedBy: submission?.actorName ?? organisation.name,
  };
}

/** The receipt PDF of a dossier, for a member of its organisation (404 for anyone else, or before submission). */
export async function renderDossierReceipt(user: SessionUser, reference: string) {
  const dossier = await findDossierForMember(user, reference);
  const data = await receiptDataFor(dossier.id);
  // The PDF renderer (react-pdf, its fonts, its WASM layout engine) is loaded on the first document, not with the server.
  const { renderReceipt } = await import("~templates/receipt");
  return { fileName: `recepisse-${dossier.reference}.pdf`, pdf: await renderReceipt(data) };
}
