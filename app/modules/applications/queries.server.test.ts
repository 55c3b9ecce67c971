import { describe, expect, it } from "vitest";
import { attachAllPieces, completeFormData, createCall, createOrganisation } from "../../../tests/fixtures/dossiers";
import { createUser } from "../../../tests/fixtures/users";
import { postAgentMessage } from "./messages.server";
import { getDossierViewForMember, listDossiersForMember } from "./queries.server";
import { createDraft, saveSection, submitDossier } from "./service.server";

describe("dossier views", () => {
  it("computes territory, budget checks, missing items and history for the dossier page", async () => {
    const { call } = await createCall();
    const owner = await createUser();
    const organisation = await createOrganisation([{ user: owner }]);
    const draft = await createDraft(owner, { organisationId: organisation.id, callId: call.id });

    const empty = await getDossierViewForMember(owner, draft.reference);
    expect(empty.missing.length).toBeGreaterThan(20);
    expect(empty.editable).toBe("all");

    let version = draft.version;
    for (const [section, data] of Object.entries(completeFormData())) ({ version } = await saveSection(owner, draft.reference, { section, data, version }));
    await attachAllPieces(draft.id, owner.id);
    const complete = await getDossierViewForMember(owner, draft.reference);
    expect(complete.missing).toEqual([]);
    expect(complete.territory).toMatchObject({ regionName: "Normandie", departements: ["Orne (61)"] });
    expect(complete.territory.communes.map((commune) => commune.name)).toEqual(["Alençon", "Belforêt-en-Perche"]);
    expect(complete.budget.checks.every((check) => check.ok)).toBe(true);
    expect(complete.budget.figures.stateSharePercent).toBe(40);

    await submitDossier(owner, draft.reference);
    const ars = await createUser({ roles: [{ role: "ars_agent", regionCode: "28" }] });
    await postAgentMessage(ars, draft.reference, { body: "Bien reçu.", origin: "http://portail.test" });
    const submitted = await getDossierViewForMember(owner, draft.reference);
    expect(submitted.editable).toEqual([]);
    expect(submitted.events.map((event) => event.event)).toEqual(["create", "submit"]);
    expect(submitted.unreadMessages).toBe(1);

    const stranger = await createUser();
    await expect(getDossierViewForMember(stranger, draft.reference)).rejects.toMatchObject({ status: 404 });

    const list = await listDossiersForMember(owner);
    expect(list.organisations.map((o) => o.name)).toEqual([organisation.name]);
    expect(list.dossiers).toEqual([expect.objectContaining({ reference: draft.reference, status: "submitted", unreadMessages: 1, waveTitle: "Vague 2" })]);
    expect((await listDossiersForMember(stranger)).dossiers).toEqual([]);
  });
});
