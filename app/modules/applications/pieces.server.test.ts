import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applicationPieces, applications, auditLog } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { DomainError } from "~/utils/errors";
import { attachAllPieces, completeFormData, createCall, createOrganisation, setStatus } from "../../../tests/fixtures/dossiers";
import { createUser } from "../../../tests/fixtures/users";
import { assertPieceUploadAllowed, attachPiece, findPieceForMember, MAX_FILES_PER_PIECE, removePiece } from "./pieces.server";
import { createDraft, saveSection, submitDossier } from "./service.server";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const upload = (n = 1) => ({ sha256: n.toString(16).padStart(64, "a"), sizeBytes: 1000 + n, mimeType: "application/pdf", fileName: `devis-${n}.pdf` });

async function piecesOf(applicationId: string) {
  return db.select().from(applicationPieces).where(eq(applicationPieces.applicationId, applicationId));
}

async function auditActions(entityId: string) {
  return (await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, entityId))).map((row) => row.action);
}

let owner: SessionUser;
let draft: Awaited<ReturnType<typeof createDraft>>;

beforeEach(async () => {
  const { call } = await createCall();
  owner = await createUser();
  const organisation = await createOrganisation([{ user: owner }]);
  draft = await createDraft(owner, { organisationId: organisation.id, callId: call.id });
});

describe("attachPiece / removePiece", () => {
  it("attaches a file to a piece of the call, with an audit row, and removes it", async () => {
    const { piece, alreadyAttached } = await attachPiece(owner, draft.reference, "devis_vehicule", upload());
    expect(alreadyAttached).toBe(false);
    expect(piece).toMatchObject({ applicationId: draft.id, pieceCode: "devis_vehicule", fileName: "devis-1.pdf", uploadedBy: owner.id });
    expect(await findPieceForMember(owner, draft.reference, piece.id)).toMatchObject({ id: piece.id, sha256: upload().sha256 });
    // The autosave version is untouched: an upload must not make an open section stale.
    const [row] = await db.select().from(applications).where(eq(applications.id, draft.id));
    expect(row.version).toBe(draft.version);

    const removed = await removePiece(owner, draft.reference, piece.id);
    expect(removed.id).toBe(piece.id);
    expect(await piecesOf(draft.id)).toEqual([]);
    expect(await auditActions(draft.id)).toEqual(expect.arrayContaining(["dossier.piece_attach", "dossier.piece_remove"]));
    expect((await refusal(removePiece(owner, draft.reference, piece.id))).status).toBe(404);
  });

  it("attaches the same bytes once when they are sent twice for the same piece", async () => {
    await attachPiece(owner, draft.reference, "rib", upload(2));
    const again = await attachPiece(owner, draft.reference, "rib", upload(2));
    expect(again.alreadyAttached).toBe(true);
    expect(await piecesOf(draft.id)).toHaveLength(1);
  });

  it(`refuses more than ${MAX_FILES_PER_PIECE} files for one piece`, async () => {
    for (let n = 1; n <= MAX_FILES_PER_PIECE; n++) await attachPiece(owner, draft.reference, "autre", upload(n));
    const error = await refusal(attachPiece(owner, draft.reference, "autre", upload(99)));
    expect(error).toMatchObject({ status: 422, code: "too_many_files" });
    expect(error.fieldErrors.file[0]).toMatch(/déjà 10 fichiers/);
  });

  it("refuses a piece code that is not in the call's list, before and after the upload", async () => {
    const before = await refusal(assertPieceUploadAllowed(owner, draft.reference, "photo_de_vacances"));
    expect(before).toMatchObject({ status: 400, code: "unknown_piece" });
    const after = await refusal(attachPiece(owner, draft.reference, "photo_de_vacances", upload()));
    expect(after.status).toBe(400);
    expect(after.fieldErrors.file).toHaveLength(1);
    expect(await piecesOf(draft.id)).toEqual([]);
    await expect(assertPieceUploadAllowed(owner, draft.reference, "statuts")).resolves.toBeUndefined();
  });

  it("answers 404 to a user outside the organisation, for every verb, and writes nothing", async () => {
    const { piece } = await attachPiece(owner, draft.reference, "statuts", upload());
    const stranger = await createUser();
    expect((await refusal(attachPiece(stranger, draft.reference, "statuts", upload(3)))).status).toBe(404);
    expect((await refusal(assertPieceUploadAllowed(stranger, draft.reference, "statuts"))).status).toBe(404);
    expect((await refusal(removePiece(stranger, draft.reference, piece.id))).status).toBe(404);
    expect((await refusal(findPieceForMember(stranger, draft.reference, piece.id))).status).toBe(404);
    expect(await piecesOf(draft.id)).toHaveLength(1);
  });

  it("answers 404 to a piece id of another dossier or not shaped like one", async () => {
    const { call } = await createCall();
    const other = await createDraft(owner, { organisationId: draft.organisationId, callId: call.id });
    const { piece } = await attachPiece(owner, other.reference, "statuts", upload());
    expect((await refusal(findPieceForMember(owner, draft.reference, piece.id))).status).toBe(404);
    expect((await refusal(removePiece(owner, draft.reference, piece.id))).status).toBe(404);
    expect((await refusal(findPieceForMember(owner, draft.reference, "pas-un-uuid"))).status).toBe(404);
  });

  it("is closed after submission (409) and open again when an agent reopens « pieces »", async () => {
    let version = draft.version;
    for (const [section, data] of Object.entries(completeFormData())) ({ version } = await saveSection(owner, draft.reference, { section, data, version }));
    await attachAllPieces(draft.id, owner.id);
    await submitDossier(owner, draft.reference);
    const [kept] = await piecesOf(draft.id);

    const closed = await refusal(attachPiece(owner, draft.reference, "autre", upload(5)));
    expect(closed).toMatchObject({ status: 409, code: "not_editable" });
    expect((await refusal(removePiece(owner, draft.reference, kept.id))).status).toBe(409);
    expect((await refusal(assertPieceUploadAllowed(owner, draft.reference, "autre"))).status).toBe(409);

    await setStatus(draft.id, "changes_requested", { reopenedSections: ["budget"] });
    expect((await refusal(attachPiece(owner, draft.reference, "autre", upload(5)))).status).toBe(409);

    await setStatus(draft.id, "changes_requested", { reopenedSections: ["pieces"] });
    await attachPiece(owner, draft.reference, "autre", upload(5));
    await removePiece(owner, draft.reference, kept.id);
    expect((await piecesOf(draft.id)).some((piece) => piece.id === kept.id)).toBe(false);
    expect((await piecesOf(draft.id)).some((piece) => piece.pieceCode === "autre")).toBe(true);
  });
});
