import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applications, mails } from "~db/schema";
import { attachAllPieces, completeFormData, createCall, createOrganisation } from "../../../tests/fixtures/dossiers";
import { createUser } from "../../../tests/fixtures/users";
import type { SessionUser } from "~/modules/auth/roles";
import { requestCorrections } from "~/modules/instruction/service.server";
import { DomainError } from "~/utils/errors";
import { listMessages, markRead, postAgentMessage, postApplicantMessage, unreadCounts } from "./messages.server";
import { createDraft, saveSection, submitDossier } from "./service.server";

const origin = "http://portail.test";
let owner: SessionUser;
let coEditor: SessionUser;
let arsNormandie: SessionUser;
let arsBretagne: SessionUser;
let reference: string;
let applicationId: string;

beforeEach(async () => {
  const { call } = await createCall();
  owner = await createUser();
  coEditor = await createUser();
  arsNormandie = await createUser({ roles: [{ role: "ars_agent", regionCode: "28" }] });
  arsBretagne = await createUser({ roles: [{ role: "ars_agent", regionCode: "53" }] });
  const organisation = await createOrganisation([{ user: owner }, { user: coEditor }]);
  const draft = await createDraft(owner, { organisationId: organisation.id, callId: call.id });
  let version = draft.version;
  for (const [section, data] of Object.entries(completeFormData())) ({ version } = await saveSection(owner, draft.reference, { section, data, version }));
  await attachAllPieces(draft.id, owner.id);
  await submitDossier(owner, draft.reference);
  reference = draft.reference;
  applicationId = draft.id;
});

const mailsTo = (to: string, template: string) => db.select().from(mails).where(and(eq(mails.to, to), eq(mails.template, template)));

describe("message thread", () => {
  it("carries messages both ways, mails the other side and counts unread ones", async () => {
    await postAgentMessage(arsNormandie, reference, { body: "Pouvez-vous préciser le plan de tournée ?", origin });
    expect(await mailsTo(owner.email, "new-message")).toHaveLength(1);
    expect(await mailsTo(coEditor.email, "new-message")).toHaveLength(1);
    expect((await unreadCounts(owner.id, [applicationId], "applicant")).get(applicationId)).toBe(1);

    await markRead(db, owner.id, applicationId);
    expect((await unreadCounts(owner.id, [applicationId], "applicant")).get(applicationId)).toBeUndefined();

    await postApplicantMessage(coEditor, reference, { body: "<script>alert(1)</script> Oui : lundi matin à Alençon.", origin });
    const [agentMail] = await mailsTo(arsNormandie.email, "new-message");
    expect(agentMail.html).toContain("&lt;script&gt;");
    expect(await mailsTo(arsBretagne.email, "new-message")).toHaveLength(0);
    expect((await listMessages(applicationId)).map((message) => message.side)).toEqual(["agent", "applicant"]);
  });

  it("hides the dossier from an agent of another région and from non-members", async () => {
    const stranger = await createUser();
    // One after the other: started together, the second could fail before anyone awaits it.
    for (const attempt of [() => postAgentMessage(arsBretagne, reference, { body: "x", origin }), () => postApplicantMessage(stranger, reference, { body: "x", origin })]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).status).toBe(404);
    }
  });

  it("refuses an empty or oversized message", async () => {
    await expect(postApplicantMessage(owner, reference, { body: "   ", origin })).rejects.toMatchObject({ status: 400 });
    await expect(postApplicantMessage(owner, reference, { body: "x".repeat(5001), origin })).rejects.toMatchObject({ status: 400 });
  });
});

describe("correction requests", () => {
  it("reopens the chosen sections, writes to the thread and mails every member", async () => {
    await requestCorrections(arsNormandie, reference, { sections: ["vehicule", "pieces", "inconnue"], message: "Le devis du véhicule est illisible.", origin });
    const [row] = await db.select().from(applications).where(eq(applications.id, applicationId));
    expect(row).toMatchObject({ status: "changes_requested", reopenedSections: ["vehicule", "pieces"] });
    const [mail] = await mailsTo(owner.email, "corrections-requested");
    expect(mail.text).toContain("Le devis du véhicule est illisible.");
    expect(mail.text).toContain("Véhicule, Pièces justificatives");
    expect(await mailsTo(owner.email, "new-message")).toHaveLength(0);
    expect((await listMessages(applicationId))[0].body).toMatch(/^Corrections demandées \(Véhicule, Pièces justificatives\)/);
  });

  it("is reserved to the ARS of the région and needs sections and a message", async () => {
    const anct = await createUser({ roles: [{ role: "anct_agent", regionCode: null }] });
    await expect(requestCorrections(anct, reference, { sections: ["vehicule"], message: "x", origin })).rejects.toMatchObject({ status: 403 });
    await expect(requestCorrections(arsBretagne, reference, { sections: ["vehicule"], message: "x", origin })).rejects.toMatchObject({ status: 404 });
    await expect(requestCorrections(arsNormandie, reference, { sections: [], message: "x", origin })).rejects.toMatchObject({ status: 400 });
    await expect(requestCorrections(arsNormandie, reference, { sections: ["vehicule"], message: " ", origin })).rejects.toMatchObject({ status: 400 });
  });
});
