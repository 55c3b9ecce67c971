import { and, count, eq } from "drizzle-orm";
import { db, transaction, type Executor, type Transaction } from "~db/client.server";
import { applicationPieces, applications, calls, type ApplicationStatus } from "~db/schema";
import { recordAudit } from "~/modules/audit/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { readCallRules } from "~/modules/calls/schema";
import type { Upload } from "~/modules/files/upload.server";
import { findDossierForAgent } from "~/modules/instruction/policy.server";
import { DomainError } from "~/utils/errors";
import { dossierNotFound, findDossierForMember } from "./policy.server";

/** Enough for a piece sent in several parts (one letter per partner), few enough to bound a dossier. */
export const MAX_FILES_PER_PIECE = 10;

/** The stored file of a piece: what the upload gives once its bytes are in storage. */
export type StoredUpload = Pick<Upload, "sha256" | "sizeBytes" | "mimeType" | "fileName">;

/**
 * Pieces are rows of their own, not form data: editable while the dossier is a draft, and after
 * submission only when an agent reopened « pieces » with a correction request.
 */
export function canEditPieces(dossier: { status: ApplicationStatus; reopenedSections: readonly string[] }) {
  return dossier.status === "draft" || (dossier.status === "changes_requested" && dossier.reopenedSections.includes("pieces"));
}

const NOT_EDITABLE_MESSAGE = "Les pièces de ce dossier ne sont plus modifiables : le dossier a été déposé.";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pieceNotFound(): never {
  throw new DomainError("piece_not_found", 404, "Fichier introuvable.");
}

/**
 * The dossier row, locked for the rest of the transaction: a submission (which snapshots the
 * pieces under the same lock) and an upload cannot interleave.
 */
async function lockEditableDossier(tx: Transaction, actor: SessionUser, reference: string) {
  const member = await findDossierForMember(actor, reference, tx);
  const [dossier] = await tx.select().from(applications).where(eq(applications.id, member.id)).for("update");
  if (!dossier) dossierNotFound();
  if (!canEditPieces(dossier)) throw new DomainError("not_editable", 409, NOT_EDITABLE_MESSAGE);
  return dossier;
}

async function callPieces(executor: Executor, callId: string) {
  const [call] = await executor.select({ rules: calls.rules }).from(calls).where(eq(calls.id, callId));
  return readCallRules(call?.rules).pieces;
}

function unknownPiece(): never {
  throw new DomainError("unknown_piece", 400, "Cette pièce ne fait pas partie de la liste de l'appel à projets.", {
    file: ["Cette pièce ne fait pas partie de la liste de l'appel à projets."],
  });
}

/**
 * Checked before the upload's bytes are read: the member may add to this piece now. The same
 * checks run again, under the lock, when the file is attached.
 */
export async function assertPieceUploadAllowed(actor: SessionUser, reference: string, pieceCode: string) {
  const dossier = await findDossierForMember(actor, reference);
  if (!canEditPieces(dossier)) throw new DomainError("not_editable", 409, NOT_EDITABLE_MESSAGE);
  if (!(await callPieces(db, dossier.callId)).some((piece) => piece.code === pieceCode)) unknownPiece();
}

/**
 * Attaches a stored file to one of the call's pieces. Sending the same bytes twice for the same
 * piece (a double click, a retried upload) attaches them once.
 */
export async function attachPiece(actor: SessionUser, reference: string, pieceCode: string, upload: StoredUpload) {
  return transaction(async (tx) => {
    const dossier = await lockEditableDossier(tx, actor, reference);
    const piece = (await callPieces(tx, dossier.callId)).find((candidate) => candidate.code === pieceCode);
    if (!piece) unknownPiece();
    const sameFile = and(eq(applicationPieces.applicationId, dossier.id), eq(applicationPieces.pieceCode, pieceCode));
    const [existing] = await tx.select().from(applicationPieces).where(and(sameFile, eq(applicationPieces.sha256, upload.sha256))).limit(1);
    if (existing) return { piece: existing, alreadyAttached: true };
    const [{ files }] = await tx.select({ files: count() }).from(applicationPieces).where(sameFile);
    if (files >= MAX_FILES_PER_PIECE) {
      const message = `Cette pièce compte déjà ${MAX_FILES_PER_PIECE} fichiers : supprimez-en un avant d'en déposer un autre.`;
      throw new DomainError("too_many_files", 422, message, { file: [message] });
    }
    const [row] = await tx
      .insert(applicationPieces)
      .values({ applicationId: dossier.id, pieceCode, fileName: upload.fileName, mimeType: upload.mimeType, sizeBytes: upload.sizeBytes, sha256: upload.sha256, uploadedBy: actor.id })
      .returning();
    // The form's version is left alone: a piece does not make the other tabs' sections stale.
    await tx.update(applications).set({ updatedAt: row.createdAt }).where(eq(applications.id, dossier.id));
    await recordAudit(tx, {
      actorId: actor.id,
      action: "dossier.piece_attach",
      entityType: "application",
      entityId: dossier.id,
      data: { reference: dossier.reference, pieceCode, pieceId: row.id, fileName: row.fileName, sha256: row.sha256, sizeBytes: row.sizeBytes },
    });
    return { piece: row, alreadyAttached: false };
  });
}

/**
 * Detaches a file from the dossier. The bytes stay in storage: they are addressed by their hash,
 * may belong to another dossier too, and the audit row names them.
 */
export async function removePiece(actor: SessionUser, reference: string, pieceId: string) {
  return transaction(async (tx) => {
    const dossier = await lockEditableDossier(tx, actor, reference);
    if (!UUID.test(pieceId)) pieceNotFound();
    const [removed] = await tx
      .delete(applicationPieces)
      .where(and(eq(applicationPieces.id, pieceId), eq(applicationPieces.applicationId, dossier.id)))
      .returning();
    if (!removed) pieceNotFound();
    await tx.update(applications).set({ updatedAt: new Date() }).where(eq(applications.id, dossier.id));
    await recordAudit(tx, {
      actorId: actor.id,
      action: "dossier.piece_remove",
      entityType: "application",
      entityId: dossier.id,
      data: { reference: dossier.reference, pieceCode: removed.pieceCode, pieceId: removed.id, fileName: removed.fileName, sha256: removed.sha256 },
    });
    return removed;
  });
}

async function pieceOfDossier(applicationId: string, pieceId: string) {
  if (!UUID.test(pieceId)) pieceNotFound();
  const [piece] = await db
    .select()
    .from(applicationPieces)
    .where(and(eq(applicationPieces.id, pieceId), eq(applicationPieces.applicationId, applicationId)));
  return piece ?? pieceNotFound();
}

/** One file of a dossier, for its download: 404 outside the member's organisations. */
export async function findPieceForMember(actor: SessionUser, reference: string, pieceId: string) {
  const dossier = await findDossierForMember(actor, reference);
  return pieceOfDossier(dossier.id, pieceId);
}

/** One file of a dossier, for an agent's download: 404 outside the agent's scope (and for drafts). */
export async function findPieceForAgent(actor: SessionUser, reference: string, pieceId: string) {
  const dossier = await findDossierForAgent(actor, reference);
  return pieceOfDossier(dossier.id, pieceId);
}
