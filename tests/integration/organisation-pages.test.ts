import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { memberships, organisationInvitations, organisations, users } from "~db/schema";
import { createDraft } from "~/modules/applications/service.server";
import { startSession } from "~/modules/auth/session.server";
import { OrganisationSchema } from "~/modules/organisations/schema";
import { createOrganisation, inviteMember } from "~/modules/organisations/service.server";
import * as organisationPage from "~/routes/organisations.$id";
import * as invitationPage from "~/routes/organisations.invitation";
import * as newOrganisationPage from "~/routes/organisations.nouvelle";
import { createCall } from "../fixtures/dossiers";
import { countRows, createUser, lastMail, TEST_ORIGIN, tokenFromMail, uniqueEmail } from "../fixtures/users";

/**
 * The organisation pages' loaders and actions called with real Requests, as Remix calls them:
 * status codes, field errors, what is written (or not), and who may see and do what.
 */

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

function post(path: string, fields: Record<string, string>, cookie?: string) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${TEST_ORIGIN}${path}`, { method: "POST", body, headers: cookie ? { Cookie: cookie } : {} });
}

function get(path: string, cookie?: string) {
  return new Request(`${TEST_ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

/** Runs a loader or an action; a thrown Response (redirect, 404) is returned like a returned one. */
async function call(handler: Handler, request: Request, params: Record<string, string> = {}) {
  return handler({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

async function signedIn(traits: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser(traits);
  const cookie = (await startSession(user.id)).split(";")[0];
  return { user, cookie };
}

function sessionCookie(response: Response) {
  const match = (response.headers.get("Set-Cookie") ?? "").match(/mb_session=([^;]+)/);
  return match ? `mb_session=${match[1]}` : null;
}

const VALID = { kind: "cpts", name: "CPTS du Perche ornais", siret: "732 829 320 00074", seatCommuneCode: "61001" };

async function organisationOf(owner: Awaited<ReturnType<typeof createUser>>, name = `CPTS ${uniqueEmail("org")}`) {
  return createOrganisation(owner, OrganisationSchema.parse({ ...VALID, name }));
}

async function invite(owner: Awaited<ReturnType<typeof createUser>>, organisationId: string, email: string) {
  await inviteMember(owner, organisationId, { email, origin: TEST_ORIGIN });
  return tokenFromMail(await lastMail(email, "organisation-invitation"), "/organisations/invitation");
}

async function organisationsNamed(name: string) {
  return db.select().from(organisations).where(eq(organisations.name, name));
}

describe("/organisations/nouvelle", () => {
  it("sends a visitor without a session to the sign-in page", async () => {
    const response = await call(newOrganisationPage.loader, get("/organisations/nouvelle?retour=/dossiers/nouveau"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/connexion?redirectTo=${encodeURIComponent("/organisations/nouvelle?retour=/dossiers/nouveau")}`);
  });

  it("refuses a wrong SIRET key with 400 and the French message next to the field, writing nothing", async () => {
    const { cookie } = await signedIn();
    const before = await countRows(organisations);
    const name = `Mauvais SIRET ${uniqueEmail()}`;
    const response = await call(newOrganisationPage.action, post("/organisations/nouvelle", { ...VALID, name, siret: "732 829 320 00075" }, cookie));
    expect(response.status).toBe(400);
    const reply = await response.json();
    expect(reply.error.siret).toEqual(["Ce SIRET n'est pas valide : vérifiez les 14 chiffres (clé de contrôle incorrecte)."]);
    expect(reply.initialValue.siret).toBe("732 829 320 00075");
    expect(await countRows(organisations)).toBe(before);
    expect(await organisationsNamed(name)).toEqual([]);

    const short = await call(newOrganisationPage.action, post("/organisations/nouvelle", { ...VALID, name, siret: "1234" }, cookie));
    expect(short.status).toBe(400);
    expect((await short.json()).error.siret[0]).toMatch(/14 chiffres/);
  });

  it("refuses a commune that is not in the official code with 422 on the seat field, writing nothing", async () => {
    const { cookie } = await signedIn();
    const before = await countRows(organisations);
    const response = await call(newOrganisationPage.action, post("/organisations/nouvelle", { ...VALID, seatCommuneCode: "99999" }, cookie));
    expect(response.status).toBe(422);
    const reply = await response.json();
    expect(reply.error.seatCommuneCode).toEqual(["Choisissez la commune du siège dans la liste."]);
    expect(reply.code).toBe("unknown_commune");
    expect(await countRows(organisations)).toBe(before);
  });

  it("creates the organisation with its creator as owner, then goes to its page with a notice", async () => {
    const { user, cookie } = await signedIn();
    const name = `CPTS ${uniqueEmail("creation")}`;
    const fields = { ...VALID, name, contactName: "Léa Martin", contactEmail: "Contact@Exemple.fr", contactPhone: "02 33 00 00 00" };
    const response = await call(newOrganisationPage.action, post("/organisations/nouvelle", fields, cookie));
    expect(response.status).toBe(302);
    const [created] = await organisationsNamed(name);
    expect(created).toMatchObject({ siret: "73282932000074", seatCommuneCode: "61001", contactEmail: "contact@exemple.fr", createdBy: user.id });
    expect(response.headers.get("Location")).toBe(`/organisations/${created.id}`);
    expect(response.headers.get("Set-Cookie")).toMatch(/mb_toast=/);
    const [membership] = await db.select().from(memberships).where(eq(memberships.organisationId, created.id));
    expect(membership).toMatchObject({ userId: user.id, role: "owner" });
  });

  it("goes back to a local `retour` path only", async () => {
    const { cookie } = await signedIn();
    const local = await call(newOrganisationPage.action, post("/organisations/nouvelle", { ...VALID, retour: "/dossiers/nouveau" }, cookie));
    expect(local.headers.get("Location")).toBe("/dossiers/nouveau");
    const loaded = await call(newOrganisationPage.loader, get("/organisations/nouvelle?retour=//evil.example", cookie));
    expect(await loaded.json()).toEqual({ retour: "" });
    const evil = await call(newOrganisationPage.action, post("/organisations/nouvelle", { ...VALID, retour: "https://evil.example/" }, cookie));
    expect(evil.headers.get("Location")).toMatch(/^\/organisations\/[0-9a-f-]{36}$/);
  });

  it("is for applicants: an agent gets 403", async () => {
    const { cookie } = await signedIn({ roles: [{ role: "ars_agent", regionCode: "28" }] });
    expect((await call(newOrganisationPage.loader, get("/organisations/nouvelle", cookie))).status).toBe(403);
    expect((await call(newOrganisationPage.action, post("/organisations/nouvelle", VALID, cookie))).status).toBe(403);
  });
});

describe("/organisations/:id", () => {
  it("shows the organisation, its members and pending invitations to a member", async () => {
    const { user: owner, cookie } = await signedIn({ name: "Alix Responsable" });
    const organisation = await organisationOf(owner);
    const invited = uniqueEmail("invite");
    await invite(owner, organisation.id, invited);
    const response = await call(organisationPage.loader, get(`/organisations/${organisation.id}`, cookie), { id: organisation.id });
    expect(response.status).toBe(200);
    const page = await response.json();
    expect(page.organisation).toMatchObject({ siret: "73282932000074", seatCommuneName: "Alençon (61)" });
    expect(page.isOwner).toBe(true);
    expect(page.members).toEqual([expect.objectContaining({ name: "Alix Responsable", role: "owner", isMe: true })]);
    expect(page.pendingInvitations.map((invitation: { email: string }) => invitation.email)).toEqual([invited]);
  });

  it("lists the organisation's dossiers, not those of the member's other organisations", async () => {
    const { user, cookie } = await signedIn();
    const organisation = await organisationOf(user);
    const other = await organisationOf(user);
    const { call: grantCall } = await createCall();
    const mine = await createDraft(user, { organisationId: organisation.id, callId: grantCall.id });
    await createDraft(user, { organisationId: other.id, callId: grantCall.id });
    const page = await (await call(organisationPage.loader, get(`/organisations/${organisation.id}`, cookie), { id: organisation.id })).json();
    expect(page.dossiers).toEqual([expect.objectContaining({ reference: mine.reference, status: "draft", waveTitle: "Vague 2" })]);
  });

  it("is a 404 for a non-member, a made-up id and a malformed id, on the page and on every action", async () => {
    const owner = await createUser();
    const organisation = await organisationOf(owner);
    const { cookie: strangerCookie } = await signedIn();
    const path = `/organisations/${organisation.id}`;
    expect((await call(organisationPage.loader, get(path, strangerCookie), { id: organisation.id })).status).toBe(404);
    const attempts: Array<Record<string, string>> = [{ intent: "invite", email: uniqueEmail() }, { intent: "remove", userId: owner.id }, { intent: "autre" }];
    for (const fields of attempts) {
      const response = await call(organisationPage.action, post(path, fields, strangerCookie), { id: organisation.id });
      expect(response.status, fields.intent).toBe(404);
    }
    for (const id of ["00000000-0000-4000-8000-000000000000", "pas-un-uuid", "1 or 1=1"]) {
      expect((await call(organisationPage.loader, get(`/organisations/${encodeURIComponent(id)}`, strangerCookie), { id })).status, id).toBe(404);
    }
    // Nothing was written by the refused actions.
    const stillMembers = await db.select().from(memberships).where(eq(memberships.organisationId, organisation.id));
    expect(stillMembers.map((member) => member.userId)).toEqual([owner.id]);
    const invitations = await db.select().from(organisationInvitations).where(eq(organisationInvitations.organisationId, organisation.id));
    expect(invitations).toEqual([]);
  });

  it("sends a visitor without a session to the sign-in page", async () => {
    const owner = await createUser();
    const organisation = await organisationOf(owner);
    const response = await call(organisationPage.loader, get(`/organisations/${organisation.id}`), { id: organisation.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
  });

  it("lets an owner invite (a mail goes out), and shows « already member » as a 409 on the email field", async () => {
    const { user: owner, cookie } = await signedIn();
    const organisation = await organisationOf(owner);
    const path = `/organisations/${organisation.id}`;
    const email = uniqueEmail("coediteur");
    const response = await call(organisationPage.action, post(path, { intent: "invite", email: `  ${email.toUpperCase()} ` }, cookie), { id: organisation.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(path);
    expect((await lastMail(email, "organisation-invitation"))?.text).toContain(`${TEST_ORIGIN}/organisations/invitation?token=`);

    const invalid = await call(organisationPage.action, post(path, { intent: "invite", email: "pas-une-adresse" }, cookie), { id: organisation.id });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).formId).toBe("invite");

    const again = await call(organisationPage.action, post(path, { intent: "invite", email: owner.email }, cookie), { id: organisation.id });
    expect(again.status).toBe(409);
    const reply = await again.json();
    expect(reply).toMatchObject({ formId: "invite", code: "already_member" });
    expect(reply.error.email).toEqual(["Cette personne est déjà membre de l'organisation."]);
  });

  it("refuses an editor's invitation and removal with 403, and hides the owner's controls from them", async () => {
    const owner = await createUser();
    const organisation = await organisationOf(owner);
    const { user: editor, cookie } = await signedIn();
    await db.insert(memberships).values({ organisationId: organisation.id, userId: editor.id, role: "editor" });
    const path = `/organisations/${organisation.id}`;
    const page = await (await call(organisationPage.loader, get(`${path}?retirer=${owner.id}`, cookie), { id: organisation.id })).json();
    expect(page).toMatchObject({ isOwner: false, removing: null });

    const email = uniqueEmail();
    const invited = await call(organisationPage.action, post(path, { intent: "invite", email }, cookie), { id: organisation.id });
    expect(invited.status).toBe(403);
    expect((await invited.json()).error[""][0]).toMatch(/Seuls les responsables/);
    expect(await lastMail(email)).toBeNull();

    const removed = await call(organisationPage.action, post(path, { intent: "remove", userId: owner.id }, cookie), { id: organisation.id });
    expect(removed.status).toBe(403);
    expect(await db.select().from(memberships).where(and(eq(memberships.organisationId, organisation.id), eq(memberships.userId, owner.id)))).toHaveLength(1);
  });

  it("asks to confirm a removal, removes a co-editor, and refuses to remove the last owner (409)", async () => {
    const { user: owner, cookie } = await signedIn();
    const organisation = await organisationOf(owner);
    const editor = await createUser({ name: "Léa Coéditrice" });
    await db.insert(memberships).values({ organisationId: organisation.id, userId: editor.id, role: "editor" });
    const path = `/organisations/${organisation.id}`;

    const confirm = await (await call(organisationPage.loader, get(`${path}?retirer=${editor.id}`, cookie), { id: organisation.id })).json();
    expect(confirm.removing).toMatchObject({ userId: editor.id, name: "Léa Coéditrice", isMe: false });

    const lastOwner = await call(organisationPage.action, post(`${path}?retirer=${owner.id}`, { intent: "remove", userId: owner.id }, cookie), { id: organisation.id });
    expect(lastOwner.status).toBe(409);
    expect(await lastOwner.json()).toMatchObject({ formId: "remove", code: "last_owner", error: { "": ["L'organisation doit garder au moins un responsable."] } });

    const removed = await call(organisationPage.action, post(path, { intent: "remove", userId: editor.id }, cookie), { id: organisation.id });
    expect(removed.status).toBe(302);
    expect(removed.headers.get("Location")).toBe(path);
    const left = await db.select().from(memberships).where(eq(memberships.organisationId, organisation.id));
    expect(left.map((member) => member.userId)).toEqual([owner.id]);

    const unknown = await call(organisationPage.action, post(path, { intent: "remove", userId: editor.id }, cookie), { id: organisation.id });
    expect(unknown.status).toBe(404);
  });
});

describe("/organisations/invitation", () => {
  it("answers 400 for a missing or made-up link", async () => {
    for (const path of ["/organisations/invitation", "/organisations/invitation?token=invente", `/organisations/invitation?token=${"x".repeat(500)}`]) {
      const response = await call(invitationPage.loader, get(path));
      expect(response.status, path).toBe(400);
      expect((await response.json()).problem).toMatch(/invalide/);
    }
  });

  it("creates the invitee's account, signs them in and makes them an editor; the link then says 410", async () => {
    const owner = await createUser();
    const organisation = await organisationOf(owner, "CPTS des collines");
    const email = uniqueEmail("nouveau");
    const token = await invite(owner, organisation.id, email);
    const path = `/organisations/invitation?token=${token}`;

    const page = await call(invitationPage.loader, get(path));
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect((await page.json()).invitation).toMatchObject({ organisationName: "CPTS des collines", email, state: "create" });

    const mismatch = await call(invitationPage.action, post(path, { intent: "create", token, name: "Léa Martin", password: "mot-de-passe-solide", confirmation: "autre-chose-encore" }));
    expect(mismatch.status).toBe(400);
    const mismatchReply = await mismatch.json();
    expect(mismatchReply.error.confirmation).toEqual(["Les deux mots de passe ne sont pas identiques."]);
    expect(mismatchReply.initialValue.password).toBeUndefined();
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);

    const accepted = await call(invitationPage.action, post(path, { intent: "create", token, name: "Léa Martin", password: "mot-de-passe-solide", confirmation: "mot-de-passe-solide" }));
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Location")).toBe(`/organisations/${organisation.id}`);
    const cookie = sessionCookie(accepted);
    expect(cookie).not.toBeNull();
    const [account] = await db.select().from(users).where(eq(users.email, email));
    expect(account).toMatchObject({ name: "Léa Martin" });
    expect(account.emailVerifiedAt).not.toBeNull();

    // The new session opens the organisation's page, as an editor.
    const view = await (await call(organisationPage.loader, get(`/organisations/${organisation.id}`, cookie!), { id: organisation.id })).json();
    expect(view.isOwner).toBe(false);
    expect(view.members).toContainEqual(expect.objectContaining({ email, role: "editor", isMe: true }));

    const used = await call(invitationPage.loader, get(path));
    expect(used.status).toBe(410);
    const again = await call(invitationPage.action, post(path, { intent: "create", token, name: "Léa Martin", password: "mot-de-passe-solide", confirmation: "mot-de-passe-solide" }));
    expect(again.status).toBe(410);
  });

  it("offers sign-in to an invitee who has an account, and « Rejoindre » once signed in with that address", async () => {
    const owner = await createUser();
    const organisation = await organisationOf(owner);
    const { user: invitee, cookie } = await signedIn();
    const token = await invite(owner, organisation.id, invitee.email);
    const path = `/organisations/invitation?token=${token}`;

    const anonymous = await (await call(invitationPage.loader, get(path))).json();
    expect(anonymous.invitation).toMatchObject({ state: "sign_in", signInUrl: `/connexion?redirectTo=${encodeURIComponent(path)}` });
    const refused = await call(invitationPage.action, post(path, { intent: "create", token, name: "Intrus", password: "mot-de-passe-solide", confirmation: "mot-de-passe-solide" }));
    expect(refused.status).toBe(401);

    const { cookie: otherCookie } = await signedIn();
    expect((await (await call(invitationPage.loader, get(path, otherCookie))).json()).invitation.state).toBe("wrong_account");
    expect((await call(invitationPage.action, post(path, { intent: "join", token }, otherCookie))).status).toBe(403);

    expect((await (await call(invitationPage.loader, get(path, cookie))).json()).invitation.state).toBe("join");
    const joined = await call(invitationPage.action, post(path, { intent: "join", token }, cookie));
    expect(joined.status).toBe(302);
    expect(joined.headers.get("Location")).toBe(`/organisations/${organisation.id}`);
    const [membership] = await db.select().from(memberships).where(and(eq(memberships.organisationId, organisation.id), eq(memberships.userId, invitee.id)));
    expect(membership.role).toBe("editor");
  });

  it("sends « Rejoindre » without a session to the sign-in page", async () => {
    const owner = await createUser();
    const organisation = await organisationOf(owner);
    const invitee = await createUser();
    const token = await invite(owner, organisation.id, invitee.email);
    const response = await call(invitationPage.action, post(`/organisations/invitation?token=${token}`, { intent: "join", token }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
  });

  it("says 410 for an expired invitation", async () => {
    const owner = await createUser();
    const organisation = await organisationOf(owner);
    const email = uniqueEmail();
    await inviteMember(owner, organisation.id, { email, origin: TEST_ORIGIN, now: new Date(Date.now() - 8 * 86_400_000) });
    const token = tokenFromMail(await lastMail(email, "organisation-invitation"), "/organisations/invitation");
    const response = await call(invitationPage.loader, get(`/organisations/invitation?token=${token}`));
    expect(response.status).toBe(410);
    expect((await response.json()).problem).toMatch(/expiré/);
  });
});
