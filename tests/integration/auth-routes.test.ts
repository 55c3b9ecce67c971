import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { roleAssignments, type Role } from "~db/schema";
import { startSession } from "~/modules/auth/session.server";
import * as adminPage from "~/routes/admin._index";
import * as adminUserPage from "~/routes/admin.utilisateurs.$id";
import * as accountPage from "~/routes/compte";
import * as signInPage from "~/routes/connexion";
import * as signOutPage from "~/routes/deconnexion";
import * as registerPage from "~/routes/inscription";
import * as instructionPage from "~/routes/instruction._index";
import * as invitationPage from "~/routes/invitation";
import * as applicantPage from "~/routes/mon-espace._index";
import * as forgotPage from "~/routes/mot-de-passe-oublie";
import * as resetPage from "~/routes/reinitialiser-mot-de-passe";
import * as verifyPage from "~/routes/verifier-email";
import { countMails, createUser, findUser, lastMail, sessionCookie, TEST_PASSWORD, tokenFromMail, uniqueEmail } from "../fixtures/users";

/**
 * The account pages' loaders and actions, called directly with a Request as Remix would: status
 * codes, redirects, cookies, and who may open what. (The Origin check belongs to the HTTP
 * server in front, not to these functions.)
 */

const ORIGIN = "http://portail.test";
type Route = { loader?: (args: LoaderFunctionArgs) => Promise<Response>; action?: (args: ActionFunctionArgs) => Promise<Response> };

function post(path: string, fields: Record<string, string>, cookie?: string) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body, headers: cookie ? { Cookie: cookie } : {} });
}

function get(path: string, cookie?: string) {
  return new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

/** Runs a loader or action; a thrown Response (redirect, 403, 404) is returned like a returned one. */
async function call(handler: Route["loader"], request: Request, params: Record<string, string> = {}) {
  return handler!({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

async function signedIn(roles: Array<Role | { role: Role; regionCode: string | null }>) {
  const user = await createUser({ roles });
  const cookie = (await startSession(user.id)).split(";")[0];
  return { user, cookie };
}

describe("/inscription", () => {
  it("answers 400 with the field errors, and creates nothing", async () => {
    const email = uniqueEmail();
    const response = await call(registerPage.action, post("/inscription", { name: "A", email, password: "court", confirmation: "autre" }));
    expect(response.status).toBe(400);
    const reply = await response.json();
    expect(Object.keys(reply.error).sort()).toEqual(["confirmation", "name", "password"]);
    expect(reply.initialValue.password).toBeUndefined();
    expect(await findUser(email)).toBeNull();
  });

  it("creates the account and sends to /verifier-email with a notice; a second time is a 409 field error", async () => {
    const email = uniqueEmail();
    const fields = { name: "Marie Curie", email: `  ${email.toUpperCase()} `, password: TEST_PASSWORD, confirmation: TEST_PASSWORD };
    const response = await call(registerPage.action, post("/inscription", fields));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/verifier-email");
    expect(response.headers.get("Set-Cookie")).toMatch(/mb_toast=/);
    expect((await findUser(email))?.email).toBe(email);
    expect((await lastMail(email, "verify-email"))?.text).toContain(`${ORIGIN}/verifier-email?token=`);

    const again = await call(registerPage.action, post("/inscription", fields));
    expect(again.status).toBe(409);
    expect((await again.json()).error.email[0]).toMatch(/Un compte existe déjà/);
  });
});

describe("/verifier-email", () => {
  it("confirms with a valid link (200), then says « déjà utilisé » (410); a made-up link is a 400", async () => {
    const email = uniqueEmail();
    await call(registerPage.action, post("/inscription", { name: "Marie Curie", email, password: TEST_PASSWORD, confirmation: TEST_PASSWORD }));
    const token = tokenFromMail(await lastMail(email, "verify-email"), "/verifier-email");
    const first = await call(verifyPage.loader, get(`/verifier-email?token=${token}`));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ state: "verified", email });
    const second = await call(verifyPage.loader, get(`/verifier-email?token=${token}`));
    expect(second.status).toBe(410);
    expect((await second.json()).message).toMatch(/déjà été utilisé/);
    expect((await call(verifyPage.loader, get("/verifier-email?token=invente"))).status).toBe(400);
  });

  it("answers the resend form the same way for an unknown address", async () => {
    const unknown = uniqueEmail("inconnu");
    const response = await call(verifyPage.action, post("/verifier-email", { email: unknown }));
    expect(response.status).toBe(302);
    expect(await countMails(unknown)).toBe(0);
  });
});

describe("/connexion", () => {
  it("refuses a wrong password with 401 and the generic message, never echoing the password", async () => {
    const user = await createUser();
    const response = await call(signInPage.action, post("/connexion", { email: user.email, password: "pas-le-bon-mot-de-passe" }));
    expect(response.status).toBe(401);
    const reply = await response.json();
    expect(reply.error[""]).toEqual(["Adresse électronique ou mot de passe incorrect."]);
    expect(reply.initialValue.password).toBeUndefined();
  });

  it("starts a session and goes to the role's home, or to a local redirectTo only", async () => {
    const user = await createUser({ roles: ["applicant"] });
    const home = await call(signInPage.action, post("/connexion", { email: user.email, password: TEST_PASSWORD }));
    expect(home.status).toBe(302);
    expect(home.headers.get("Location")).toBe("/mon-espace");
    expect(sessionCookie(home)).toMatch(/^mb_session=.+/);

    const local = await call(signInPage.action, post("/connexion", { email: user.email, password: TEST_PASSWORD, redirectTo: "/compte?onglet=1" }));
    expect(local.headers.get("Location")).toBe("/compte?onglet=1");
    for (const evil of ["//evil.example/x", "https://evil.example", "/\\evil.example", "/\tevil"]) {
      const response = await call(signInPage.action, post("/connexion", { email: user.email, password: TEST_PASSWORD, redirectTo: evil }));
      expect(response.headers.get("Location"), evil).toBe("/mon-espace");
    }
  });

  it("renews the session id: the session cookie sent with the sign-in is ended", async () => {
    const { user, cookie } = await signedIn(["applicant"]);
    const response = await call(signInPage.action, post("/connexion", { email: user.email, password: TEST_PASSWORD }, cookie));
    expect(sessionCookie(response)).not.toBe(cookie);
    expect((await call(accountPage.loader, get("/compte", cookie))).status).toBe(302);
    expect((await call(accountPage.loader, get("/compte", sessionCookie(response)!))).status).toBe(200);
  });

  it("answers 429 at the 6th attempt after 5 failures", async () => {
    const user = await createUser();
    for (let i = 0; i < 5; i++) await call(signInPage.action, post("/connexion", { email: user.email, password: "mauvais-mot-de-passe" }));
    const response = await call(signInPage.action, post("/connexion", { email: user.email, password: TEST_PASSWORD }));
    expect(response.status).toBe(429);
    expect((await response.json()).error[""][0]).toMatch(/^Trop de tentatives.*réessayez dans \d+ minutes/);
  });

  it("tells an unconfirmed account so, with the code the page uses to offer a new link", async () => {
    const user = await createUser({ verified: false });
    const response = await call(signInPage.action, post("/connexion", { email: user.email, password: TEST_PASSWORD }));
    expect(response.status).toBe(403);
    expect((await response.json()).code).toBe("email_not_verified");
  });
});

describe("/deconnexion", () => {
  it("ends the session on POST and goes home with a notice", async () => {
    const { cookie } = await signedIn(["applicant"]);
    const response = await call(signOutPage.action, post("/deconnexion", {}, cookie));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Set-Cookie")).toMatch(/mb_session=;/);
    expect((await call(accountPage.loader, get("/compte", cookie))).status).toBe(302);
  });
});

describe("password reset pages", () => {
  it("gives the same answer for a known and an unknown address", async () => {
    const user = await createUser();
    const known = await call(forgotPage.action, post("/mot-de-passe-oublie", { email: user.email }));
    const unknown = await call(forgotPage.action, post("/mot-de-passe-oublie", { email: uniqueEmail("inconnu") }));
    expect([known.status, known.headers.get("Location")]).toEqual([302, "/mot-de-passe-oublie"]);
    expect([unknown.status, unknown.headers.get("Location")]).toEqual([known.status, known.headers.get("Location")]);
  });

  it("shows the form for a working link, sets the password, and answers 410 to the same link", async () => {
    const user = await createUser();
    await call(forgotPage.action, post("/mot-de-passe-oublie", { email: user.email }));
    const token = tokenFromMail(await lastMail(user.email, "reset-password"), "/reinitialiser-mot-de-passe");
    const page = await call(resetPage.loader, get(`/reinitialiser-mot-de-passe?token=${token}`));
    expect(page.status).toBe(200);
    expect((await page.json()).email).toBe(user.email);

    const mismatch = await call(resetPage.action, post("/reinitialiser-mot-de-passe", { token, password: "nouveau-mot-de-passe", confirmation: "autre-chose-encore" }));
    expect(mismatch.status).toBe(400);
    const done = await call(resetPage.action, post("/reinitialiser-mot-de-passe", { token, password: "nouveau-mot-de-passe", confirmation: "nouveau-mot-de-passe" }));
    expect([done.status, done.headers.get("Location")]).toEqual([302, "/connexion"]);

    expect((await call(resetPage.loader, get(`/reinitialiser-mot-de-passe?token=${token}`))).status).toBe(410);
    const reused = await call(resetPage.action, post("/reinitialiser-mot-de-passe", { token, password: "encore-un-mot-de-passe", confirmation: "encore-un-mot-de-passe" }));
    expect(reused.status).toBe(410);
  });
});

describe("/admin and /invitation", () => {
  it("invites an agent, who sets a password and lands, signed in, on /instruction", async () => {
    const { cookie } = await signedIn(["admin"]);
    const email = uniqueEmail("ars");
    const missingRegion = await call(adminPage.action, post("/admin", { email, name: "Agathe ARS", role: "ars_agent" }, cookie));
    expect(missingRegion.status).toBe(400);
    expect((await missingRegion.json()).error.regionCode[0]).toMatch(/Choisissez une région/);
    const unknownRegion = await call(adminPage.action, post("/admin", { email, name: "Agathe ARS", role: "ars_agent", regionCode: "99" }, cookie));
    expect(unknownRegion.status).toBe(400);

    const invited = await call(adminPage.action, post("/admin", { email, name: "Agathe ARS", role: "ars_agent", regionCode: "28" }, cookie));
    expect([invited.status, invited.headers.get("Location")]).toEqual([302, "/admin"]);
    const token = tokenFromMail(await lastMail(email, "agent-invitation"), "/invitation");
    expect((await call(invitationPage.loader, get(`/invitation?token=${token}`))).status).toBe(200);
    const accepted = await call(invitationPage.action, post("/invitation", { token, password: "mot-de-passe-agent", confirmation: "mot-de-passe-agent" }));
    expect([accepted.status, accepted.headers.get("Location")]).toEqual([302, "/instruction"]);
    const agentCookie = sessionCookie(accepted)!;
    const landing = await call(instructionPage.loader, get("/instruction", agentCookie));
    expect(await landing.json()).toMatchObject({ roles: ["Agent ARS — Normandie"], scopeLabel: "Région Normandie" });
  });

  it("lists and searches accounts", async () => {
    const { cookie } = await signedIn(["admin"]);
    const target = await createUser({ name: "Zoé Recherchée_100%" });
    const found = await (await call(adminPage.loader, get(`/admin?q=${encodeURIComponent("Recherchée_100%")}`, cookie))).json();
    expect(found.users.map((user: { email: string }) => user.email)).toEqual([target.email]);
    const none = await (await call(adminPage.loader, get(`/admin?q=${encodeURIComponent("Recherch%e")}`, cookie))).json();
    expect(none.total).toBe(0);
  });

  it("refuses an administrator's own admin role removal (409) and answers 404 for an unknown account", async () => {
    const { user, cookie } = await signedIn(["admin", "program_manager"]);
    const [adminGrant] = (await db.select().from(roleAssignments).where(eq(roleAssignments.userId, user.id))).filter((grant) => grant.role === "admin");
    const response = await call(adminUserPage.action, post(`/admin/utilisateurs/${user.id}`, { intent: "revoke", assignmentId: adminGrant.id }, cookie), { id: user.id });
    expect(response.status).toBe(409);
    expect((await response.json()).formId).toBe("account");
    expect((await call(adminUserPage.loader, get("/admin/utilisateurs/inconnu", cookie), { id: "inconnu" })).status).toBe(404);
  });

  it("disables an account: its session no longer opens anything", async () => {
    const { cookie } = await signedIn(["admin"]);
    const agent = await signedIn(["program_manager"]);
    const response = await call(adminUserPage.action, post(`/admin/utilisateurs/${agent.user.id}`, { intent: "disable" }, cookie), { id: agent.user.id });
    expect(response.status).toBe(302);
    expect((await findUser(agent.user.email))?.disabledAt).toBeInstanceOf(Date);
    expect((await call(instructionPage.loader, get("/instruction", agent.cookie))).status).toBe(302);
  });
});

describe("who may open what (every protected page × every role)", () => {
  const ROLES: Array<Role | "anonymous"> = ["anonymous", "applicant", "ars_agent", "anct_agent", "program_manager", "admin"];
  const PAGES: Array<{ path: string; route: Route; allowed: Role[] }> = [
    { path: "/compte", route: accountPage, allowed: ["applicant", "ars_agent", "anct_agent", "program_manager", "admin"] },
    { path: "/mon-espace", route: applicantPage, allowed: ["applicant"] },
    { path: "/instruction", route: instructionPage, allowed: ["ars_agent", "anct_agent", "program_manager"] },
    { path: "/admin", route: adminPage, allowed: ["admin"] },
  ];

  for (const page of PAGES) {
    for (const role of ROLES) {
      const expected = role === "anonymous" ? 302 : page.allowed.includes(role) ? 200 : 403;
      it(`${page.path} as ${role}: ${expected}`, async () => {
        const cookie = role === "anonymous" ? undefined : (await signedIn([role === "ars_agent" ? { role, regionCode: "28" } : role])).cookie;
        const response = await call(page.route.loader, get(page.path, cookie));
        expect(response.status).toBe(expected);
        if (expected === 302) expect(response.headers.get("Location")).toBe(`/connexion?redirectTo=${encodeURIComponent(page.path)}`);
        // Reading is not the only door: the admin page's action is guarded too.
        if (page.path === "/admin" && role !== "anonymous" && role !== "admin") {
          const invite = await call(adminPage.action, post("/admin", { email: uniqueEmail(), name: "X Y", role: "admin" }, cookie));
          expect(invite.status).toBe(403);
        }
      });
    }
  }

  it("names the scope of each agent on /instruction", async () => {
    const cases: Array<[Array<Role | { role: Role; regionCode: string | null }>, string]> = [
      [[{ role: "ars_agent", regionCode: "53" }], "Région Bretagne"],
      [[{ role: "anct_agent", regionCode: "76" }], "Région Occitanie"],
      [["anct_agent"], "France entière"],
      [["program_manager"], "France entière"],
      [[{ role: "ars_agent", regionCode: "53" }, { role: "ars_agent", regionCode: "28" }], "Régions Bretagne, Normandie"],
    ];
    for (const [roles, scope] of cases) {
      const { cookie } = await signedIn(roles);
      expect((await (await call(instructionPage.loader, get("/instruction", cookie))).json()).scopeLabel).toBe(scope);
    }
  });
});
