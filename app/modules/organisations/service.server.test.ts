import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { memberships, organisations, users } from "~db/schema";
import { countRows, createUser, lastMail, tokenFromMail, uniqueEmail } from "../../../tests/fixtures/users";
import { OrganisationSchema, RemoveMemberSchema } from "./schema";
import { acceptOrganisationInvitation, createOrganisation, getOrganisationForMember, inspectOrganisationInvitation, inviteMember, removeMember } from "./service.server";

const origin = "http://portail.test";
const validInput = OrganisationSchema.parse({ kind: "cpts", name: "CPTS du Perche ornais", siret: "732 829 320 00074", seatCommuneCode: "61001" });

describe("organisations", () => {
  it.each(["a\u0000b", "<script>", "x".repeat(65), ""])("refuses to remove a member named by a forged id %j, in French, before any query", (forged) => {
    const result = RemoveMemberSchema.safeParse({ userId: forged });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe("Membre inconnu.");
  });

  it("validates the form: SIRET key, kind, seat commune format", () => {
    const result = OrganisationSchema.safeParse({ kind: "cpts", name: "X", siret: "73282932000075", seatCommuneCode: "../.." });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((issue) => [issue.path[0], issue.message]));
    expect(messages.siret).toMatch(/clé de contrôle/);
    expect(messages.seatCommuneCode).toMatch(/commune du siège/);
    expect(messages.name).toMatch(/au moins 2/);
    expect(validInput.siret).toBe("73282932000074");
  });

  it("creates an organisation owned by its creator, refusing an unknown commune without writing", async () => {
    const owner = await createUser();
    const before = await countRows(organisations);
    await expect(createOrganisation(owner, { ...validInput, seatCommuneCode: "99999" })).rejects.toMatchObject({ status: 422 });
    expect(await countRows(organisations)).toBe(before);
    const organisation = await createOrganisation(owner, validInput);
    const view = await getOrganisationForMember(owner, organisation.id);
    expect(view.myRole).toBe("owner");
    expect(view.organisation.seatCommuneName).toBe("Alençon (61)");
    const stranger = await createUser();
    await expect(getOrganisationForMember(stranger, organisation.id)).rejects.toMatchObject({ status: 404 });
  });

  it("invites a person without an account, who creates one on acceptance and becomes an editor", async () => {
    const owner = await createUser();
    const organisation = await createOrganisation(owner, validInput);
    const email = uniqueEmail("coediteur");
    await inviteMember(owner, organisation.id, { email, origin });
    const token = tokenFromMail(await lastMail(email, "organisation-invitation"), "/organisations/invitation");
    expect(await inspectOrganisationInvitation(token)).toMatchObject({ ok: true, hasAccount: false, organisationName: "CPTS du Perche ornais" });
    await expect(acceptOrganisationInvitation(token, { user: null })).rejects.toMatchObject({ status: 400 });
    const accepted = await acceptOrganisationInvitation(token, { user: null, newAccount: { name: "Léa Coéditrice", password: "mot-de-passe-solide" } });
    expect(accepted.accountCreated).toBe(true);
    const [account] = await db.select().from(users).where(eq(users.email, email));
    expect(account.emailVerifiedAt).not.toBeNull();
    const [membership] = await db.select().from(memberships).where(eq(memberships.userId, account.id));
    expect(membership).toMatchObject({ organisationId: organisation.id, role: "editor" });
    await expect(acceptOrganisationInvitation(token, { user: null, newAccount: { name: "x", password: "mot-de-passe-solide" } })).rejects.toMatchObject({ status: 410 });
  });

  it("only lets the invited account accept, and only owners invite and remove", async () => {
    const owner = await createUser();
    const editor = await createUser();
    const organisation = await createOrganisation(owner, validInput);
    await inviteMember(owner, organisation.id, { email: editor.email, origin });
    const token = tokenFromMail(await lastMail(editor.email, "organisation-invitation"), "/organisations/invitation");
    const other = await createUser();
    await expect(acceptOrganisationInvitation(token, { user: other })).rejects.toMatchObject({ status: 403 });
    await expect(acceptOrganisationInvitation(token, { user: null })).rejects.toMatchObject({ status: 401 });
    await acceptOrganisationInvitation(token, { user: editor });
    await expect(inviteMember(editor, organisation.id, { email: uniqueEmail(), origin })).rejects.toMatchObject({ status: 403 });
    await expect(inviteMember(owner, organisation.id, { email: editor.email, origin })).rejects.toMatchObject({ status: 409 });
    await expect(removeMember(owner, organisation.id, owner.id)).rejects.toMatchObject({ status: 409 });
    await removeMember(owner, organisation.id, editor.id);
    await expect(getOrganisationForMember(editor, organisation.id)).rejects.toMatchObject({ status: 404 });
  });

  it("makes a new invitation void the previous one to the same address", async () => {
    const owner = await createUser();
    const organisation = await createOrganisation(owner, validInput);
    const email = uniqueEmail();
    await inviteMember(owner, organisation.id, { email, origin });
    const first = tokenFromMail(await lastMail(email, "organisation-invitation"), "/organisations/invitation");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await inviteMember(owner, organisation.id, { email, origin });
    expect(await inspectOrganisationInvitation(first)).toMatchObject({ ok: false, status: 410 });
  });
});
