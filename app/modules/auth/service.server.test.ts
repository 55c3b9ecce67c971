import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { auditLog, mails, roleAssignments, tokens, users } from "~db/schema";
import { DomainError } from "~/utils/errors";
import {
  countMails,
  countRows,
  countSessions,
  createAdmin,
  createUser,
  findUser,
  lastMail,
  TEST_ORIGIN,
  TEST_PASSWORD,
  tokenFromMail,
  uniqueEmail,
} from "../../../tests/fixtures/users";
import { verifyPassword } from "./password.server";
import { getUserDetail } from "./queries.server";
import {
  acceptInvitation,
  changePassword,
  disableUser,
  enableUser,
  grantRole,
  inviteAgent,
  registerApplicant,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  revokeRole,
  signIn,
  verifyEmail,
} from "./service.server";
import { getSession, startSession } from "./session.server";
import type { TokenError } from "./tokens.server";

const NEW_PASSWORD = "un-nouveau-mot-de-passe";
let ipSequence = 0;
/** Each test gets its own client address, so the IP limits of one test do not leak into another. */
const context = (extra: { now?: Date } = {}) => ({ origin: TEST_ORIGIN, ip: `203.0.113.${++ipSequence}`, ...extra });

async function refusal(promise: Promise<unknown>) {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(outcome instanceof DomainError)) throw new Error(`Expected a DomainError, got ${String(outcome)}`);
  return outcome;
}

async function auditActions(entityId: string) {
  const rows = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(auditLog.id);
  return rows.map((row) => row.action);
}

function requestWith(cookie: string) {
  return new Request(`${TEST_ORIGIN}/compte`, { headers: { Cookie: cookie.split(";")[0] } });
}

async function register(email = uniqueEmail("porteur")) {
  await registerApplicant({ name: "Léa Porteur", email, password: TEST_PASSWORD, confirmation: TEST_PASSWORD }, context());
  return email;
}

describe("registerApplicant", () => {
  it("creates the account, its applicant role, a verification token, a mail and an audit row", async () => {
    const email = await register();
    const user = await findUser(email);
    expect(user).toMatchObject({ email, name: "Léa Porteur", emailVerifiedAt: null, disabledAt: null });
    expect(await verifyPassword(user!.passwordHash, TEST_PASSWORD)).toBe(true);
    const roles = await db.select().from(roleAssignments).where(eq(roleAssignments.userId, user!.id));
    expect(roles.map((grant) => [grant.role, grant.regionCode])).toEqual([["applicant", null]]);
    const mail = await lastMail(email, "verify-email");
    expect(mail?.subject).toMatch(/Confirmez votre adresse/);
    expect(mail?.text).toContain(`${TEST_ORIGIN}/verifier-email?token=`);
    expect(await auditActions(user!.id)).toEqual(["user.register"]);
  });

  it("refuses an address already used, as a field error, and writes nothing", async () => {
    const email = await register();
    const before = await Promise.all([countRows(users), countRows(roleAssignments), countRows(mails)]);
    const error = await refusal(
      registerApplicant({ name: "Autre", email, password: TEST_PASSWORD, confirmation: TEST_PASSWORD }, context()),
    );
    expect(error.status).toBe(409);
    expect(error.fieldErrors.email?.[0]).toMatch(/Un compte existe déjà/);
    expect(await Promise.all([countRows(users), countRows(roleAssignments), countRows(mails)])).toEqual(before);
  });
});

describe("verifyEmail and signIn", () => {
  it("refuses to sign in before the address is confirmed, then accepts after", async () => {
    const email = await register();
    const unverified = await refusal(signIn({ email, password: TEST_PASSWORD }, context()));
    expect(unverified.code).toBe("email_not_verified");
    expect(unverified.message).toMatch(/pas encore confirmée/);

    const token = tokenFromMail(await lastMail(email, "verify-email"), "/verifier-email");
    const verified = await verifyEmail(token);
    expect(verified.email).toBe(email);
    expect((await findUser(email))?.emailVerifiedAt).toBeInstanceOf(Date);

    const { user, cookie } = await signIn({ email, password: TEST_PASSWORD }, context());
    expect(user.roles).toEqual([{ role: "applicant", regionCode: null }]);
    expect(cookie).toMatch(/^mb_session=[^;]+;.*HttpOnly/i);
    expect((await getSession(requestWith(cookie)))?.user.id).toBe(user.id);
    expect(await auditActions(user.id)).toEqual(["user.register", "user.verify_email", "auth.sign_in"]);
  });

  it("refuses a verification link used twice or expired", async () => {
    const email = await register();
    const token = tokenFromMail(await lastMail(email, "verify-email"), "/verifier-email");
    const tooLate = await refusal(verifyEmail(token, { now: new Date(Date.now() + 25 * 3600_000) }));
    expect((tooLate as TokenError).problem).toBe("expired");
    await verifyEmail(token);
    const reused = await refusal(verifyEmail(token));
    expect((reused as TokenError).problem).toBe("used");
  });

  it("resends a link to an unconfirmed account, and answers the same for an unknown address", async () => {
    const email = await register();
    await resendVerification(email, context());
    expect(await countMails(email)).toBe(2);
    const unknown = uniqueEmail("inconnu");
    await expect(resendVerification(unknown, context())).resolves.toBeUndefined();
    expect(await countMails(unknown)).toBe(0);
    const verified = await createUser();
    await resendVerification(verified.email, context());
    expect(await countMails(verified.email)).toBe(0);
  });

  it("gives one generic message for a wrong password and for an unknown address", async () => {
    const user = await createUser();
    const wrong = await refusal(signIn({ email: user.email, password: "pas-le-bon-mot-de-passe" }, context()));
    const unknown = await refusal(signIn({ email: uniqueEmail("inconnu"), password: TEST_PASSWORD }, context()));
    expect([wrong.status, wrong.message]).toEqual([401, "Adresse électronique ou mot de passe incorrect."]);
    expect([unknown.status, unknown.message]).toEqual([wrong.status, wrong.message]);
  });

  it("refuses a disabled account, even with the right password", async () => {
    const user = await createUser({ disabled: true });
    const error = await refusal(signIn({ email: user.email, password: TEST_PASSWORD }, context()));
    expect([error.status, error.code]).toEqual([403, "account_disabled"]);
    expect(await countSessions(user.id)).toBe(0);
  });

  it("starts a new session each time and ends the one it replaces", async () => {
    const user = await createUser();
    const first = await signIn({ email: user.email, password: TEST_PASSWORD }, context());
    const firstId = (await getSession(requestWith(first.cookie)))!.sessionId;
    const second = await signIn({ email: user.email, password: TEST_PASSWORD }, { ...context(), replacingSessionId: firstId });
    const secondId = (await getSession(requestWith(second.cookie)))!.sessionId;
    expect(secondId).not.toBe(firstId);
    expect(await getSession(requestWith(first.cookie))).toBeNull();
  });

  it("refuses the 6th attempt after 5 failures on one address, even with the right password", async () => {
    const user = await createUser();
    const ctx = context();
    for (let i = 0; i < 5; i++) {
      expect((await refusal(signIn({ email: user.email, password: `faux-${i}-mot-de-passe` }, ctx))).status).toBe(401);
    }
    const sixth = await refusal(signIn({ email: user.email, password: TEST_PASSWORD }, ctx));
    expect(sixth.status).toBe(429);
    expect(sixth.message).toMatch(/Trop de tentatives.*réessayez dans 15 minutes/);
    // Another client address is refused too: the limit is per email.
    expect((await refusal(signIn({ email: user.email, password: TEST_PASSWORD }, context()))).status).toBe(429);
    // Once the window has passed, the right password works.
    const later = new Date(Date.now() + 15 * 60_000 + 1000);
    await expect(signIn({ email: user.email, password: TEST_PASSWORD }, context({ now: later }))).resolves.toBeTruthy();
  });

  it("refuses an IP after 20 failures over many addresses", async () => {
    const ctx = context();
    for (let i = 0; i < 20; i++) await refusal(signIn({ email: uniqueEmail("spray"), password: "mauvais-mot-de-passe" }, ctx));
    const user = await createUser();
    expect((await refusal(signIn({ email: user.email, password: TEST_PASSWORD }, ctx))).status).toBe(429);
    await expect(signIn({ email: user.email, password: TEST_PASSWORD }, context())).resolves.toBeTruthy();
  });

  it("clears the address's failures after a successful sign-in", async () => {
    const user = await createUser();
    const ctx = context();
    for (let i = 0; i < 4; i++) await refusal(signIn({ email: user.email, password: "mauvais-mot-de-passe" }, ctx));
    await signIn({ email: user.email, password: TEST_PASSWORD }, ctx);
    for (let i = 0; i < 4; i++) await refusal(signIn({ email: user.email, password: "mauvais-mot-de-passe" }, ctx));
    // 4 failures since the success, not 8: the fifth is still an ordinary failure.
    expect((await refusal(signIn({ email: user.email, password: "mauvais-mot-de-passe" }, ctx))).status).toBe(401);
  });
});

describe("password reset", () => {
  it("answers the same for an unknown address and sends nothing", async () => {
    const unknown = uniqueEmail("inconnu");
    const before = await countRows(mails);
    await expect(requestPasswordReset(unknown, context())).resolves.toBeUndefined();
    expect(await countRows(mails)).toBe(before);
  });

  it("sets the new password, confirms the address and ends every session", async () => {
    const user = await createUser({ verified: false });
    await startSession(user.id);
    await startSession(user.id);
    expect(await countSessions(user.id)).toBe(2);
    await requestPasswordReset(user.email, context());
    const mail = await lastMail(user.email, "reset-password");
    expect(mail?.text).toContain(`${TEST_ORIGIN}/reinitialiser-mot-de-passe?token=`);
    await resetPassword({ token: tokenFromMail(mail, "/reinitialiser-mot-de-passe"), password: NEW_PASSWORD });
    const updated = await findUser(user.email);
    expect(await verifyPassword(updated!.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(updated?.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await countSessions(user.id)).toBe(0);
    expect(await auditActions(user.id)).toEqual(["user.password_reset_requested", "user.password_reset"]);
  });

  it("refuses a reset link used twice, expired, or replaced by a newer one", async () => {
    const user = await createUser();
    await requestPasswordReset(user.email, context());
    const first = tokenFromMail(await lastMail(user.email, "reset-password"), "/reinitialiser-mot-de-passe");
    await requestPasswordReset(user.email, context());
    const second = tokenFromMail(await lastMail(user.email, "reset-password"), "/reinitialiser-mot-de-passe");
    expect((await refusal(resetPassword({ token: first, password: NEW_PASSWORD })) as TokenError).problem).toBe("used");
    const expired = await refusal(resetPassword({ token: second, password: NEW_PASSWORD }, { now: new Date(Date.now() + 61 * 60_000) }));
    expect((expired as TokenError).problem).toBe("expired");
    await resetPassword({ token: second, password: NEW_PASSWORD });
    expect((await refusal(resetPassword({ token: second, password: "encore-un-autre-mot" })) as TokenError).problem).toBe("used");
    // The refused attempts changed nothing: the password is the one set by the accepted link.
    expect(await verifyPassword((await findUser(user.email))!.passwordHash, NEW_PASSWORD)).toBe(true);
  });

  it("refuses the 4th request for one address within the hour, known or not", async () => {
    const user = await createUser();
    const unknown = uniqueEmail("inconnu");
    for (const email of [user.email, unknown]) {
      for (let i = 0; i < 3; i++) await requestPasswordReset(email, context());
      expect((await refusal(requestPasswordReset(email, context()))).status).toBe(429);
    }
    expect(await countMails(user.email)).toBe(3);
  });
});

describe("changePassword", () => {
  it("requires the current password and ends every session of the account, the one in use included", async () => {
    const user = await createUser();
    const current = await signIn({ email: user.email, password: TEST_PASSWORD }, context());
    await startSession(user.id);

    const wrong = await refusal(changePassword(user, { currentPassword: "pas-le-bon-mot-de-passe", password: NEW_PASSWORD }));
    expect(wrong.fieldErrors.currentPassword?.[0]).toBe("Le mot de passe actuel est incorrect.");
    expect(await countSessions(user.id)).toBe(2);

    await changePassword(user, { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD });
    expect(await countSessions(user.id)).toBe(0);
    expect(await getSession(requestWith(current.cookie))).toBeNull();
    expect(await verifyPassword((await findUser(user.email))!.passwordHash, NEW_PASSWORD)).toBe(true);
  });
});

describe("inviteAgent and acceptInvitation", () => {
  it("creates an account without password, its role and région, and mails an invitation", async () => {
    const admin = await createAdmin();
    const email = uniqueEmail("ars");
    const result = await inviteAgent(admin, { email, name: "Dominique ARS", role: "ars_agent", regionCode: "28" }, context());
    expect(result).toMatchObject({ created: true, invitationSent: true });
    const user = await findUser(email);
    expect(user).toMatchObject({ passwordHash: null, emailVerifiedAt: null });
    const grants = await db.select().from(roleAssignments).where(eq(roleAssignments.userId, user!.id));
    expect(grants.map((grant) => [grant.role, grant.regionCode, grant.createdBy])).toEqual([["ars_agent", "28", admin.id]]);
    const mail = await lastMail(email, "agent-invitation");
    expect(mail?.text).toContain(`${TEST_ORIGIN}/invitation?token=`);
    expect(mail?.text).toContain("Agent ARS — Normandie");
    expect(mail?.text).toContain("Sacha Admin");
    expect(await auditActions(user!.id)).toEqual(["user.invite"]);
  });

  it("lets the invited agent choose a password, confirms the address and signs them in, once", async () => {
    const admin = await createAdmin();
    const email = uniqueEmail("anct");
    await inviteAgent(admin, { email, name: "Claude ANCT", role: "anct_agent", regionCode: null }, context());
    const token = tokenFromMail(await lastMail(email, "agent-invitation"), "/invitation");
    const { user, cookie } = await acceptInvitation({ token, password: NEW_PASSWORD });
    expect(user.roles).toEqual([{ role: "anct_agent", regionCode: null }]);
    expect((await getSession(requestWith(cookie)))?.user.email).toBe(email);
    expect((await findUser(email))?.emailVerifiedAt).toBeInstanceOf(Date);
    expect((await refusal(acceptInvitation({ token, password: "un-autre-mot-de-passe" })) as TokenError).problem).toBe("used");
    await expect(signIn({ email, password: NEW_PASSWORD }, context())).resolves.toBeTruthy();
  });

  it("refuses an invitation link after 7 days", async () => {
    const admin = await createAdmin();
    const email = uniqueEmail("pm");
    await inviteAgent(admin, { email, name: "Alex PM", role: "program_manager", regionCode: null }, context());
    const token = tokenFromMail(await lastMail(email, "agent-invitation"), "/invitation");
    const expired = await refusal(acceptInvitation({ token, password: NEW_PASSWORD }, { now: new Date(Date.now() + 7 * 86_400_000 + 1000) }));
    expect((expired as TokenError).problem).toBe("expired");
    expect((await findUser(email))?.passwordHash).toBeNull();
  });

  it("adds the role to an existing account instead of creating one, without a mail", async () => {
    const admin = await createAdmin();
    const applicant = await createUser();
    const usersBefore = await countRows(users);
    const result = await inviteAgent(admin, { email: applicant.email, name: "Ignoré", role: "anct_agent", regionCode: "53" }, context());
    expect(result).toEqual({ userId: applicant.id, created: false, invitationSent: false });
    expect(await countRows(users)).toBe(usersBefore);
    const grants = await db.select().from(roleAssignments).where(eq(roleAssignments.userId, applicant.id));
    expect(grants.map((grant) => grant.role).sort()).toEqual(["anct_agent", "applicant"]);
    expect((await findUser(applicant.email))?.name).toBe("Camille Test");
    expect(await countMails(applicant.email)).toBe(0);
  });

  it("refuses to invite an account to a role it already holds, writing nothing", async () => {
    const admin = await createAdmin();
    const agent = await createUser({ roles: [{ role: "ars_agent", regionCode: "28" }] });
    const before = await Promise.all([countRows(roleAssignments), countRows(mails), countRows(tokens)]);
    const error = await refusal(inviteAgent(admin, { email: agent.email, name: "X", role: "ars_agent", regionCode: "28" }, context()));
    expect(error.status).toBe(409);
    expect(error.fieldErrors.email?.[0]).toMatch(/déjà le rôle « Agent ARS — Normandie »/);
    expect(await Promise.all([countRows(roleAssignments), countRows(mails), countRows(tokens)])).toEqual(before);
  });

  it("is for administrators only", async () => {
    const manager = await createUser({ roles: ["program_manager"] });
    const email = uniqueEmail();
    const error = await refusal(inviteAgent(manager, { email, name: "X", role: "admin", regionCode: null }, context()));
    expect(error.status).toBe(403);
    expect(await findUser(email)).toBeNull();
  });
});

describe("roles and accounts administration", () => {
  it.each(["a\u0000b", "%00", "<script>", "x".repeat(65)])("finds no account for a forged id %j (the page answers 404, not a database error)", async (forged) => {
    expect(await getUserDetail(forged)).toBeNull();
  });

  it("grants a role with its région, and refuses the same grant twice", async () => {
    const admin = await createAdmin();
    const agent = await createUser({ roles: ["anct_agent"] });
    await grantRole(admin, agent.id, { role: "ars_agent", regionCode: "84" });
    const refused = await refusal(grantRole(admin, agent.id, { role: "ars_agent", regionCode: "84" }));
    expect(refused.status).toBe(409);
    const grants = await db.select().from(roleAssignments).where(eq(roleAssignments.userId, agent.id));
    expect(grants).toHaveLength(2);
    expect(await auditActions(agent.id)).toEqual(["user.grant_role"]);
  });

  it("answers 404 for an unknown account", async () => {
    const admin = await createAdmin();
    expect((await refusal(grantRole(admin, "inconnu", { role: "admin", regionCode: null }))).status).toBe(404);
  });

  it("revokes a role, but never an administrator's own admin role, nor an account's last role", async () => {
    const admin = await createUser({ roles: ["admin", "program_manager"] });
    const [ownAdmin] = await db
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userId, admin.id), eq(roleAssignments.role, "admin")));
    const selfDemotion = await refusal(revokeRole(admin, admin.id, { assignmentId: ownAdmin.id }));
    expect(selfDemotion.code).toBe("self_demotion");
    expect(selfDemotion.message).toMatch(/propre rôle d'administrateur/);
    expect(await countGrants(admin.id)).toBe(2);

    const agent = await createUser({ roles: ["anct_agent", { role: "ars_agent", regionCode: "28" }] });
    const [ars] = await db
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userId, agent.id), eq(roleAssignments.role, "ars_agent")));
    await revokeRole(admin, agent.id, { assignmentId: ars.id });
    expect(await countGrants(agent.id)).toBe(1);
    const [last] = await db.select().from(roleAssignments).where(eq(roleAssignments.userId, agent.id));
    expect((await refusal(revokeRole(admin, agent.id, { assignmentId: last.id }))).code).toBe("last_role");
    // Another administrator may remove the first one's admin role.
    const otherAdmin = await createAdmin();
    await revokeRole(otherAdmin, admin.id, { assignmentId: ownAdmin.id });
    expect(await countGrants(admin.id)).toBe(1);
  });

  it("disables an account (its sessions end, it cannot sign in) and enables it again", async () => {
    const admin = await createAdmin();
    const agent = await createUser({ roles: ["program_manager"] });
    const { cookie } = await signIn({ email: agent.email, password: TEST_PASSWORD }, context());
    await disableUser(admin, agent.id);
    expect(await countSessions(agent.id)).toBe(0);
    expect(await getSession(requestWith(cookie))).toBeNull();
    expect((await refusal(signIn({ email: agent.email, password: TEST_PASSWORD }, context()))).code).toBe("account_disabled");
    await enableUser(admin, agent.id);
    await expect(signIn({ email: agent.email, password: TEST_PASSWORD }, context())).resolves.toBeTruthy();
    expect(await auditActions(agent.id)).toEqual(["auth.sign_in", "user.disable", "user.enable", "auth.sign_in"]);
  });

  it("refuses that an administrator disables their own account", async () => {
    const admin = await createAdmin();
    expect((await refusal(disableUser(admin, admin.id))).code).toBe("self_disable");
  });
});

async function countGrants(userId: string) {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(roleAssignments).where(eq(roleAssignments.userId, userId));
  return row.count;
}
