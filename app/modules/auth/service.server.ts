import { and, asc, count, eq } from "drizzle-orm";
import { db, transaction, type Executor, type Transaction } from "~db/client.server";
import { findPgError, PG_UNIQUE_VIOLATION } from "~db/errors";
import { roleAssignments, users } from "~db/schema";
import { agentInvitationMail } from "~emails/agent-invitation";
import { resetPasswordMail } from "~emails/reset-password";
import { queueMail } from "~emails/send.server";
import { verifyEmailMail } from "~emails/verify-email";
import { recordAudit } from "~/modules/audit/service.server";
import { DomainError } from "~/utils/errors";
import { newUserId } from "./lucia.server";
import { hashPassword, verifyPassword } from "./password.server";
import { assertAdmin } from "./policy.server";
import { grantLabel, type RoleGrant, type SessionUser } from "./roles";
import type {
  AcceptInvitationInput,
  ChangePasswordInput,
  GrantRoleInput,
  InviteAgentInput,
  RegisterInput,
  ResetPasswordInput,
  RevokeRoleInput,
  SignInInput,
} from "./schema";
import { endSessionsInTransaction, startSession } from "./session.server";
import { assertNotThrottled, clearAttempts, recordAttempt } from "./throttle.server";
import { consumeToken, issueToken, revokeTokens, TOKEN_TTL_MINUTES } from "./tokens.server";

/**
 * The account verbs. Each one owns its transaction, writes its audit row in it and queues its
 * mails in it (delivered after commit). A refusal throws a DomainError before anything is
 * written, or rolls back what was: no verb leaves a partial change.
 */

/** What a verb needs to know about the request it serves. */
export interface AuthContext {
  /** Where links in mails point: PUBLIC_URL, or the origin of the request. */
  origin?: string;
  /** The client's address, for throttling; unknown when the app is not behind our HTTP server. */
  ip?: string | null;
  /** The clock; tests move it to reach an expiry or leave a throttling window. */
  now?: Date;
}

function clock(context: AuthContext) {
  return context.now ?? new Date();
}

function link(context: AuthContext, path: string, token: string) {
  if (!context.origin) throw new Error("A link needs the portal's origin (PUBLIC_URL or the request's).");
  const url = new URL(path, context.origin);
  url.searchParams.set("token", token);
  return url.toString();
}

const EMAIL_TAKEN_MESSAGE =
  "Un compte existe déjà avec cette adresse électronique. Connectez-vous, ou demandez un nouveau mot de passe si vous l'avez oublié.";
const INVALID_CREDENTIALS_MESSAGE = "Adresse électronique ou mot de passe incorrect.";
const DISABLED_MESSAGE = "Ce compte est désactivé. Contactez l'administrateur du portail si vous pensez qu'il s'agit d'une erreur.";

function userNotFound(): never {
  throw new DomainError("user_not_found", 404, "Ce compte n'existe pas.");
}

async function findUserByEmail(executor: Executor, email: string) {
  const [user] = await executor.select().from(users).where(eq(users.email, email));
  return user ?? null;
}

async function grantsOf(executor: Executor, userId: string): Promise<RoleGrant[]> {
  return executor
    .select({ role: roleAssignments.role, regionCode: roleAssignments.regionCode })
    .from(roleAssignments)
    .where(eq(roleAssignments.userId, userId))
    .orderBy(asc(roleAssignments.createdAt));
}

/** SELECT … FOR UPDATE: the admin verbs on one account run one after the other. */
async function lockUser(tx: Transaction, userId: string) {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
  return user ?? userNotFound();
}

function isEmailTaken(error: unknown) {
  const pgError = findPgError(error);
  return pgError?.code === PG_UNIQUE_VIOLATION && pgError.constraint === "users_email_unique";
}

type AfterCommit = (task: () => Promise<unknown> | unknown) => void;

async function sendVerification(tx: Transaction, afterCommit: AfterCommit, user: { id: string; email: string; name: string }, context: AuthContext) {
  const { token } = await issueToken(tx, "verify_email", user.id, clock(context));
  await queueMail(tx, afterCommit, {
    to: user.email,
    template: verifyEmailMail,
    data: { name: user.name, url: link(context, "/verifier-email", token), expiresInHours: TOKEN_TTL_MINUTES.verify_email / 60 },
  });
}

// ─── Applicants ──────────────────────────────────────────────────────────────────────────────

/** A porteur de projet creates an account; it works once the address is confirmed. */
export async function registerApplicant(input: RegisterInput, context: AuthContext) {
  const now = clock(context);
  const passwordHash = await hashPassword(input.password);
  try {
    return await transaction(async (tx, afterCommit) => {
      if (await findUserByEmail(tx, input.email)) {
        throw new DomainError("email_taken", 409, EMAIL_TAKEN_MESSAGE, { email: [EMAIL_TAKEN_MESSAGE] });
      }
      const user = { id: newUserId(), email: input.email, name: input.name };
      await tx.insert(users).values({ ...user, passwordHash, createdAt: now });
      await tx.insert(roleAssignments).values({ userId: user.id, role: "applicant", createdBy: user.id });
      await sendVerification(tx, afterCommit, user, context);
      await recordAudit(tx, { actorId: user.id, action: "user.register", entityType: "user", entityId: user.id, data: { role: "applicant" } });
      return { userId: user.id };
    });
  } catch (error) {
    // Two registrations of one address at once: the unique index decides, same answer.
    if (isEmailTaken(error)) throw new DomainError("email_taken", 409, EMAIL_TAKEN_MESSAGE, { email: [EMAIL_TAKEN_MESSAGE] });
    throw error;
  }
}

/** The link of the confirmation mail. Returns the account, now confirmed. */
export async function verifyEmail(token: string, context: AuthContext = {}) {
  const now = clock(context);
  return transaction(async (tx) => {
    const { userId } = await consumeToken(tx, "verify_email", token, now);
    const user = await lockUser(tx, userId);
    if (!user.emailVerifiedAt) await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, userId));
    await recordAudit(tx, { actorId: userId, action: "user.verify_email", entityType: "user", entityId: userId });
    return { id: user.id, email: user.email, name: user.name };
  });
}

/**
 * A new confirmation link. The answer is the same whether or not an unconfirmed account has
 * this address, so the form cannot be used to learn who has an account.
 */
export async function resendVerification(email: string, context: AuthContext) {
  const now = clock(context);
  const keys = { email, ip: context.ip ?? null };
  await assertNotThrottled(db, "resend_verification", keys, now);
  await transaction(async (tx, afterCommit) => {
    await recordAttempt(tx, "resend_verification", keys, now);
    const user = await findUserByEmail(tx, email);
    if (!user || user.emailVerifiedAt || user.disabledAt) return;
    await sendVerification(tx, afterCommit, user, context);
    await recordAudit(tx, { actorId: user.id, action: "user.resend_verification", entityType: "user", entityId: user.id });
  });
}

// ─── Signing in ──────────────────────────────────────────────────────────────────────────────

let timingHash: Promise<string> | null = null;

/**
 * Checks the password against a stored hash, or against a throwaway one when there is no
 * account: the answer then takes as long, and its time tells nothing about the address.
 */
async function passwordMatches(passwordHash: string | null, password: string) {
  if (passwordHash) return verifyPassword(passwordHash, password);
  timingHash ??= hashPassword("aucun compte ne porte ce mot de passe");
  await verifyPassword(await timingHash, password);
  return false;
}

/**
 * Signs in with email and password and starts a NEW session (a new id: a session id planted
 * before sign-in is worthless after it). Failures are counted (THROTTLE_RULES.sign_in); a
 * success forgives the email's failures.
 */
export async function signIn(input: Pick<SignInInput, "email" | "password">, context: AuthContext & { replacingSessionId?: string | null } = {}) {
  const now = clock(context);
  const keys = { email: input.email, ip: context.ip ?? null };
  await assertNotThrottled(db, "sign_in", keys, now);
  const user = await findUserByEmail(db, input.email);
  if (!(await passwordMatches(user?.passwordHash ?? null, input.password)) || !user) {
    await transaction((tx) => recordAttempt(tx, "sign_in", keys, now));
    throw new DomainError("invalid_credentials", 401, INVALID_CREDENTIALS_MESSAGE);
  }
  // The password is right: from here on, telling the state of the account reveals nothing new.
  if (user.disabledAt) throw new DomainError("account_disabled", 403, DISABLED_MESSAGE);
  if (!user.emailVerifiedAt) {
    throw new DomainError(
      "email_not_verified",
      403,
      "Votre adresse électronique n'est pas encore confirmée. Ouvrez le lien reçu par courriel, ou demandez un nouveau lien ci-dessous.",
    );
  }
  const roles = await transaction(async (tx) => {
    await clearAttempts(tx, "sign_in", keys);
    await recordAudit(tx, { actorId: user.id, action: "auth.sign_in", entityType: "user", entityId: user.id });
    return grantsOf(tx, user.id);
  });
  const cookie = await startSession(user.id, { replacing: context.replacingSessionId ?? null });
  const sessionUser: SessionUser = { id: user.id, email: user.email, name: user.name, roles };
  return { user: sessionUser, cookie };
}

// ─── Passwords ───────────────────────────────────────────────────────────────────────────────

/**
 * « Mot de passe oublié ». Same answer, and no error, whether the address has an account or
 * not; only the throttling (counted per address typed, found or not) can refuse.
 */
export async function requestPasswordReset(email: string, context: AuthContext) {
  const now = clock(context);
  const keys = { email, ip: context.ip ?? null };
  await assertNotThrottled(db, "password_reset", keys, now);
  await transaction(async (tx, afterCommit) => {
    await recordAttempt(tx, "password_reset", keys, now);
    const user = await findUserByEmail(tx, email);
    if (!user || user.disabledAt) return;
    const { token } = await issueToken(tx, "reset_password", user.id, now);
    await queueMail(tx, afterCommit, {
      to: user.email,
      template: resetPasswordMail,
      data: { name: user.name, url: link(context, "/reinitialiser-mot-de-passe", token), expiresInMinutes: TOKEN_TTL_MINUTES.reset_password },
    });
    await recordAudit(tx, { actorId: user.id, action: "user.password_reset_requested", entityType: "user", entityId: user.id });
  });
}

/**
 * A new password from the link of the reset mail. Every session of the account ends (whoever
 * knew the old password is signed out) and the address counts as confirmed: the mail arrived.
 */
export async function resetPassword(input: Pick<ResetPasswordInput, "token" | "password">, context: AuthContext = {}) {
  const now = clock(context);
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    const { userId } = await consumeToken(tx, "reset_password", input.token, now);
    const user = await lockUser(tx, userId);
    if (user.disabledAt) throw new DomainError("account_disabled", 403, DISABLED_MESSAGE);
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now })
      .where(eq(users.id, userId));
    await endSessionsInTransaction(tx, userId);
    await clearAttempts(tx, "sign_in", { email: user.email });
    await recordAudit(tx, { actorId: userId, action: "user.password_reset", entityType: "user", entityId: userId });
    return { userId, email: user.email };
  });
}

/**
 * From the account page: the current password is required. Every session of the account ends
 * with the change, the one in use included (ADR 003): a stolen cookie dies with the old
 * password. The page then signs the person in again under a new session id (startSession).
 */
export async function changePassword(actor: SessionUser, input: Pick<ChangePasswordInput, "currentPassword" | "password">, context: AuthContext = {}) {
  const now = clock(context);
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    const message = "Le mot de passe actuel est incorrect.";
    throw new DomainError("wrong_password", 400, message, { currentPassword: [message] });
  }
  const passwordHash = await hashPassword(input.password);
  await transaction(async (tx) => {
    await lockUser(tx, actor.id);
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
    await endSessionsInTransaction(tx, actor.id);
    await revokeTokens(tx, actor.id, "reset_password", now);
    await recordAudit(tx, { actorId: actor.id, action: "user.password_changed", entityType: "user", entityId: actor.id });
  });
}

// ─── Agents ──────────────────────────────────────────────────────────────────────────────────

/**
 * An administrator invites an agent: the account is created without a password and the
 * invitation mail carries the link to choose one. Inviting an address that already has an
 * account adds the role to it instead (and, if that person never set a password, sends a new
 * invitation).
 */
export async function inviteAgent(admin: SessionUser, input: InviteAgentInput, context: AuthContext) {
  assertAdmin(admin);
  const now = clock(context);
  const grant = { role: input.role, regionCode: input.regionCode };
  try {
    return await transaction(async (tx, afterCommit) => {
      const existing = await findUserByEmail(tx, input.email);
      const user = existing ?? { id: newUserId(), email: input.email, name: input.name, passwordHash: null };
      if (!existing) await tx.insert(users).values({ id: user.id, email: user.email, name: user.name, createdAt: now });
      const added = await tx
        .insert(roleAssignments)
        .values({ userId: user.id, role: grant.role, regionCode: grant.regionCode, createdBy: admin.id })
        .onConflictDoNothing()
        .returning({ id: roleAssignments.id });
      if (added.length === 0) {
        const message = `Ce compte a déjà le rôle « ${grantLabel(grant)} ».`;
        throw new DomainError("role_already_granted", 409, message, { email: [message] });
      }
      const pendingInvitation = !user.passwordHash;
      if (pendingInvitation) {
        const { token } = await issueToken(tx, "invitation", user.id, now);
        const roles = (await grantsOf(tx, user.id)).map(grantLabel);
        await queueMail(tx, afterCommit, {
          to: user.email,
          template: agentInvitationMail,
          data: { name: user.name, url: link(context, "/invitation", token), roles, invitedBy: admin.name, expiresInDays: TOKEN_TTL_MINUTES.invitation / (24 * 60) },
        });
      }
      await recordAudit(tx, {
        actorId: admin.id,
        action: existing ? "user.grant_role" : "user.invite",
        entityType: "user",
        entityId: user.id,
        data: { ...grant, invitationSent: pendingInvitation },
      });
      return { userId: user.id, created: !existing, invitationSent: pendingInvitation };
    });
  } catch (error) {
    // Two invitations of one new address at once: the second finds the account taken; the
    // admin can invite again to add the role.
    if (isEmailTaken(error)) {
      const message = "Ce compte vient d'être créé par une autre invitation : renvoyez le formulaire pour lui ajouter ce rôle.";
      throw new DomainError("email_taken", 409, message, { email: [message] });
    }
    throw error;
  }
}

/** The invited agent chooses a password from the invitation link, and is signed in. */
export async function acceptInvitation(
  input: Pick<AcceptInvitationInput, "token" | "password">,
  context: AuthContext & { replacingSessionId?: string | null } = {},
) {
  const now = clock(context);
  const passwordHash = await hashPassword(input.password);
  const user = await transaction(async (tx) => {
    const { userId } = await consumeToken(tx, "invitation", input.token, now);
    const current = await lockUser(tx, userId);
    if (current.disabledAt) throw new DomainError("account_disabled", 403, DISABLED_MESSAGE);
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: current.emailVerifiedAt ?? now })
      .where(eq(users.id, userId));
    await recordAudit(tx, { actorId: userId, action: "user.accept_invitation", entityType: "user", entityId: userId });
    const roles = await grantsOf(tx, userId);
    return { id: current.id, email: current.email, name: current.name, roles } satisfies SessionUser;
  });
  const cookie = await startSession(user.id, { replacing: context.replacingSessionId ?? null });
  return { user, cookie };
}

export async function grantRole(admin: SessionUser, userId: string, input: GrantRoleInput) {
  assertAdmin(admin);
  const grant = { role: input.role, regionCode: input.regionCode };
  await transaction(async (tx) => {
    await lockUser(tx, userId);
    const added = await tx
      .insert(roleAssignments)
      .values({ userId, role: grant.role, regionCode: grant.regionCode, createdBy: admin.id })
      .onConflictDoNothing()
      .returning({ id: roleAssignments.id });
    if (added.length === 0) {
      const message = `Ce compte a déjà le rôle « ${grantLabel(grant)} ».`;
      throw new DomainError("role_already_granted", 409, message, { role: [message] });
    }
    await recordAudit(tx, { actorId: admin.id, action: "user.grant_role", entityType: "user", entityId: userId, data: grant });
  });
}

/**
 * Removes one role. An administrator cannot remove their own admin role (the portal could be
 * left with none), and an account keeps at least one role: to shut it, disable it.
 */
export async function revokeRole(admin: SessionUser, userId: string, input: RevokeRoleInput) {
  assertAdmin(admin);
  await transaction(async (tx) => {
    await lockUser(tx, userId);
    const [assignment] = await tx
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.id, input.assignmentId), eq(roleAssignments.userId, userId)));
    if (!assignment) throw new DomainError("role_not_found", 404, "Ce rôle n'est pas attribué à ce compte.");
    if (assignment.role === "admin" && userId === admin.id) {
      throw new DomainError(
        "self_demotion",
        409,
        "Vous ne pouvez pas retirer votre propre rôle d'administrateur : demandez-le à un autre administrateur.",
      );
    }
    const [{ total }] = await tx.select({ total: count() }).from(roleAssignments).where(eq(roleAssignments.userId, userId));
    if (total <= 1) {
      throw new DomainError("last_role", 409, "C'est le dernier rôle de ce compte. Pour lui retirer tout accès, désactivez le compte.");
    }
    await tx.delete(roleAssignments).where(eq(roleAssignments.id, assignment.id));
    await recordAudit(tx, {
      actorId: admin.id,
      action: "user.revoke_role",
      entityType: "user",
      entityId: userId,
      data: { role: assignment.role, regionCode: assignment.regionCode },
    });
  });
}

/** A disabled account cannot sign in, and its open sessions end now. */
export async function disableUser(admin: SessionUser, userId: string, context: AuthContext = {}) {
  assertAdmin(admin);
  if (userId === admin.id) throw new DomainError("self_disable", 409, "Vous ne pouvez pas désactiver votre propre compte.");
  const now = clock(context);
  await transaction(async (tx) => {
    const user = await lockUser(tx, userId);
    if (user.disabledAt) return;
    await tx.update(users).set({ disabledAt: now }).where(eq(users.id, userId));
    await endSessionsInTransaction(tx, userId);
    await recordAudit(tx, { actorId: admin.id, action: "user.disable", entityType: "user", entityId: userId });
  });
}

export async function enableUser(admin: SessionUser, userId: string) {
  assertAdmin(admin);
  await transaction(async (tx) => {
    const user = await lockUser(tx, userId);
    if (!user.disabledAt) return;
    await tx.update(users).set({ disabledAt: null }).where(eq(users.id, userId));
    await recordAudit(tx, { actorId: admin.id, action: "user.enable", entityType: "user", entityId: userId });
  });
}
