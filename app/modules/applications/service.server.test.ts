import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applicationEvents, applications, auditLog } from "~db/schema";
import { attachAllPieces, completeFormData, createCall, createOrganisation, setStatus } from "../../../tests/fixtures/dossiers";
import { countRows, createUser } from "../../../tests/fixtures/users";
import type { SessionUser } from "~/modules/auth/roles";
import { waveClosing } from "~/modules/calls/rules";
import { DomainError } from "~/utils/errors";
import { findDossierForMember } from "./policy.server";
import { createDraft, saveSection, submitDossier, withdrawDossier } from "./service.server";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

async function reload(id: string) {
  const [row] = await db.select().from(applications).where(eq(applications.id, id));
  return row;
}

let owner: SessionUser;
let organisationId: string;
let setup: Awaited<ReturnType<typeof createCall>>;

beforeEach(async () => {
  // Each test gets its own call and organisation: the file's database is shared by its tests.
  setup = await createCall();
  owner = await createUser();
  organisationId = (await createOrganisation([{ user: owner }])).id;
});

async function fillCompletely(reference: string) {
  let version = (await db.select().from(applications).where(eq(applications.reference, reference)))[0].version;
  for (const [section, data] of Object.entries(completeFormData())) {
    ({ version } = await saveSection(owner, reference, { section, data, version }));
  }
  return version;
}

describe("drafts and autosave", () => {
  it("opens a draft in the open wave, with a reference, history and audit rows", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    expect(draft).toMatchObject({ status: "draft", waveId: setup.wave2.id, version: 1 });
    expect(draft.reference).toMatch(/^MB-\d{4}-[0-9A-HJKMNP-TV-Z]{6}$/);
    const events = await db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, draft.id));
    expect(events.map((event) => event.event)).toEqual(["create"]);
  });

  it("refuses a draft for an organisation the user does not belong to (404, nothing written)", async () => {
    const stranger = await createUser();
    const before = await countRows(applications);
    expect((await refusal(createDraft(stranger, { organisationId, callId: setup.call.id }))).status).toBe(404);
    expect(await countRows(applications)).toBe(before);
  });

  it("refuses a save whose version is not a number (400, not a database error)", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    const error = await refusal(saveSection(owner, draft.reference, { section: "porteur", data: { projectTitle: "Médicobus" }, version: Number("not-a-uuid") }));
    expect([error.status, error.code]).toEqual([400, "invalid_version"]);
    expect((await reload(draft.id)).version).toBe(draft.version);
  });

  it.each(["MB-2026\u0000", "a\u0000b", "<b>"])("finds no dossier for a forged reference %j (404, not a database error)", async (forged) => {
    expect((await refusal(findDossierForMember(owner, forged))).status).toBe(404);
  });

  it.each(["㌉", "not-a-uuid", "1", `${"0".repeat(8)}-0000-0000-0000-00000000000Z`])("refuses a draft for a forged organisation id %j as not found (404, not a database error)", async (forged) => {
    const before = await countRows(applications);
    const error = await refusal(createDraft(owner, { organisationId: forged, callId: setup.call.id }));
    expect([error.status, error.message]).toEqual([404, "Organisation introuvable."]);
    expect(await countRows(applications)).toBe(before);
  });

  it("saves a section, bumps the version and derives the figures", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    const saved = await saveSection(owner, draft.reference, { section: "territoire", data: completeFormData().territoire, version: 1 });
    expect(saved.version).toBe(2);
    const row = await reload(draft.id);
    expect(row).toMatchObject({ regionCode: "28", departementCodes: ["61"] });
    expect(row.populationCovered).toBeGreaterThan(25_000);
  });

  it("refuses a stale save from another tab and keeps the newer content", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    await saveSection(owner, draft.reference, { section: "porteur", data: { projectTitle: "Onglet A" }, version: 1 });
    const error = await refusal(saveSection(owner, draft.reference, { section: "porteur", data: { projectTitle: "Onglet B" }, version: 1 }));
    expect(error).toMatchObject({ status: 409, code: "stale_version" });
    expect(error.message).toMatch(/modifié entre-temps/);
    expect((await reload(draft.id)).title).toBe("Onglet A");
  });

  it("refuses malformed values with field errors and writes nothing", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    const error = await refusal(saveSection(owner, draft.reference, { section: "budget", data: { requested: "-12", costs: [{ label: "<b>x</b>", amounts: ["abc", "", ""] }] }, version: 1 }));
    expect(error.status).toBe(400);
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["budget-costs-0-amounts-0", "budget-requested"]);
    expect((await reload(draft.id)).version).toBe(1);
  });

  it("refuses an unknown commune and a territory over two régions (422)", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    const unknown = await refusal(saveSection(owner, draft.reference, { section: "territoire", data: { communes: [{ code: "99999" }] }, version: 1 }));
    expect(unknown).toMatchObject({ status: 422 });
    expect(unknown.message).toMatch(/Commune inconnue/);
    // Alençon (Normandie) and Mamers (Pays de la Loire).
    const twoRegions = await refusal(saveSection(owner, draft.reference, { section: "territoire", data: { communes: [{ code: "61001" }, { code: "72180" }] }, version: 1 }));
    expect(twoRegions.message).toMatch(/plusieurs régions \(.*Normandie.*Pays de la Loire|plusieurs régions \(.*Pays de la Loire.*Normandie/);
  });

  it("lets a co-editor save but not a member of another organisation", async () => {
    const coEditor = await createUser();
    const stranger = await createUser();
    const organisation = await createOrganisation([{ user: owner }, { user: coEditor }]);
    await createOrganisation([{ user: stranger }]);
    const draft = await createDraft(owner, { organisationId: organisation.id, callId: setup.call.id });
    await expect(saveSection(coEditor, draft.reference, { section: "porteur", data: { projectTitle: "Co-édité" }, version: 1 })).resolves.toMatchObject({ version: 2 });
    expect((await refusal(saveSection(stranger, draft.reference, { section: "porteur", data: {}, version: 2 }))).status).toBe(404);
  });
});

describe("submission", () => {
  it("submits a complete dossier in one transaction: status, snapshot hash, région, history, audit", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    await fillCompletely(draft.reference);
    await attachAllPieces(draft.id, owner.id);
    const auditBefore = await countRows(auditLog);
    const result = await submitDossier(owner, draft.reference);
    expect(result).toMatchObject({ reference: draft.reference, alreadySubmitted: false });
    expect(result.submittedHash).toMatch(/^[0-9a-f]{64}$/);
    const row = await reload(draft.id);
    expect(row).toMatchObject({ status: "submitted", regionCode: "28", submittedHash: result.submittedHash });
    const events = await db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, draft.id));
    expect(events.map((event) => [event.event, event.fromStatus, event.toStatus])).toContainEqual(["submit", "draft", "submitted"]);
    expect(await countRows(auditLog)).toBe(auditBefore + 1);
  });

  it("refuses an incomplete dossier and writes nothing", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    await fillCompletely(draft.reference);
    const before = await reload(draft.id);
    const error = await refusal(submitDossier(owner, draft.reference));
    expect(error).toMatchObject({ status: 422, code: "incomplete" });
    expect(error.message).toMatch(/5 points à compléter/);
    expect(await reload(draft.id)).toEqual(before);
  });

  it("accepts at 11:59:59 and refuses at 12:00:00 Paris time on the closing day, writing nothing", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    await fillCompletely(draft.reference);
    await attachAllPieces(draft.id, owner.id);
    const closing = waveClosing(setup.wave2);
    const before = await reload(draft.id);
    const late = await refusal(submitDossier(owner, draft.reference, { now: closing }));
    expect(late).toMatchObject({ status: 409, code: "deadline_passed" });
    expect(late.message).toMatch(/à 12:00 \(heure de Paris\)/);
    expect(await reload(draft.id)).toEqual(before);
    await expect(submitDossier(owner, draft.reference, { now: new Date(closing.getTime() - 1000) })).resolves.toMatchObject({ alreadySubmitted: false });
  });

  it("makes one submission out of 20 concurrent requests", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    await fillCompletely(draft.reference);
    await attachAllPieces(draft.id, owner.id);
    const results = await Promise.all(Array.from({ length: 20 }, () => submitDossier(owner, draft.reference)));
    expect(results.filter((result) => !result.alreadySubmitted)).toHaveLength(1);
    expect(new Set(results.map((result) => result.submittedHash)).size).toBe(1);
    const events = await db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, draft.id));
    expect(events.filter((event) => event.event === "submit")).toHaveLength(1);
  });

  it("keeps a submitted dossier closed to edits, except the sections reopened by a correction request", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    await fillCompletely(draft.reference);
    await attachAllPieces(draft.id, owner.id);
    await submitDossier(owner, draft.reference);
    let { version } = await reload(draft.id);
    expect((await refusal(saveSection(owner, draft.reference, { section: "budget", data: {}, version }))).status).toBe(409);

    await setStatus(draft.id, "changes_requested", { reopenedSections: ["vehicule"] });
    ({ version } = await reload(draft.id));
    expect((await refusal(saveSection(owner, draft.reference, { section: "budget", data: {}, version }))).code).toBe("not_editable");
    const saved = await saveSection(owner, draft.reference, { section: "vehicule", data: { ...completeFormData().vehicule, equipment: "Table, ECG, rétinographe" }, version });
    const resubmitted = await submitDossier(owner, draft.reference, { now: new Date(waveClosing(setup.wave2).getTime() + 86_400_000) });
    expect(saved.version).toBeGreaterThan(version);
    expect(resubmitted.alreadySubmitted).toBe(false);
    expect((await reload(draft.id)).reopenedSections).toEqual([]);
  });
});

describe("withdrawal", () => {
  it("requires a motivation and is final", async () => {
    const draft = await createDraft(owner, { organisationId, callId: setup.call.id });
    expect((await refusal(withdrawDossier(owner, draft.reference, { motivation: "  " }))).status).toBe(400);
    await withdrawDossier(owner, draft.reference, { motivation: "Projet abandonné par la CPTS" });
    expect((await reload(draft.id)).status).toBe("withdrawn");
    expect((await refusal(withdrawDossier(owner, draft.reference, { motivation: "encore" }))).status).toBe(409);
  });
});
