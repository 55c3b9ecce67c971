import { randomBytes } from "node:crypto";
import { and, asc, count, eq, gt, isNull } from "drizzle-orm";
import { db, transaction, type Executor } from "~db/client.server";
import { memberships, organisationInvitations, organisations, roleAssignments, users } from "~db/schema";
import { organisationInvitationMail } from "~emails/organisation-invitation";
import { queueMail } from "~emails/send.server";
import { recordAudit } from "~/modules/audit/service.server";
import { newUserId } from "~/modules/auth/lucia.server";
import { hashPassword } from "~/modules/auth/password.server";
import type { SessionUser } from "~/modules/auth/roles";
import { hashToken } from "~/modules/auth/tokens.server";
import { findCommune } from "~/modules/geo/communes.server";
import { DomainError } from "~/utils/errors";
import { ORGANISATION_KIND_LABELS } from "./labels";
import type { OrganisationInput } from "./schema";

export const ORGANISATION_INVITATION_DAYS = 7;

function organisationNotFound(): never {
  throw new DomainError("organisation_not_found", 404, "Organisation introuvable.");
}

async function membershipOf(userId: string, organisationId: string) {
  const [row] = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

/** The organisation page of a member: 404 for anyone else. */
export async function getOrganisationForMember(user: SessionUser, organisationId: string) {
  const role = await membershipOf(user.id, organisationId);
  if (!role) organisationNotFound();
  const [organisation] = await db.select().from(organisations).where(eq(organisations.id, organisationId));
  const members = await db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organisationId, organisationId))
    .orderBy(asc(memberships.createdAt));
  const pendingInvitations = await db
    .select({ id: organisationInvitations.id, email: organisationInvitations.email, expiresAt: organisationInvitations.expiresAt })
    .from(organisationInvitations)
    .where(and(eq(organisationInvitations.organisationId, organisationId), isNull(organisationInvitations.acceptedAt), isNull(organisationInvitations.revokedAt), gt(organisationInvitations.expiresAt, new Date())));
  const seat = findCommune(organisation.seatCommuneCode);
  return { organisation: { ...organisation, seatCommuneName: seat ? `${seat.name} (${seat.departementCode})` : organisation.seatCommuneCode }, members, pendingInvitations, myRole: role };
}

/** Creates an organisation; its creator is its first owner. */
export async function createOrganisation(actor: SessionUser, input: OrganisationInput) {
  if (!findCommune(input.seatCommuneCode)) {
    throw new DomainError("unknown_commune", 422, "Cette commune n'existe pas dans le code officiel géographique.", { seatCommuneCode: ["Choisissez la commune du siège dans la liste."] });
  }
  return transaction(async (tx) => {
    const [organisation] = await tx.insert(organisations).values({ ...input, createdBy: actor.id }).returning();
    await tx.insert(memberships).values({ organisationId: organisation.id, userId: actor.id, role: "owner" });
    await recordAudit(tx, { actorId: actor.id, action: "organisation.create", entityType: "organisation", entityId: organisation.id, data: { name: input.name, siret: input.siret, kind: input.kind } });
    return organisation;
  });
}

async function assertOwner(userId: string, organisationId: string) {
  const role = await membershipOf(userId, organisationId);
  if (!role) organisationNotFound();
  if (role !== "owner") throw new DomainError("not_owner", 403, "Seuls les responsables de l'organisation peuvent gérer ses membres.");
}

/** An owner invites a co-editor by email; the person may not have an account yet. */
export async function inviteMember(actor: SessionUser, organisationId: string, input: { email: string; origin: string; now?: Date }) {
  await assertOwner(actor.id, organisationId);
  const now = input.now ?? new Date();
  return transaction(async (tx, afterCommit) => {
    const [already] = await tx
      .select({ userId: users.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organisationId, organisationId), eq(users.email, input.email)));
    if (already) throw new DomainError("already_member", 409, "Cette personne est déjà membre de l'organisation.", { email: ["Cette personne est déjà membre de l'organisation."] });
    // A new invitation replaces the pending one to the same address: only the latest link works.
    await tx
      .update(organisationInvitations)
      .set({ revokedAt: now })
      .where(and(eq(organisationInvitations.organisationId, organisationId), eq(organisationInvitations.email, input.email), isNull(organisationInvitations.acceptedAt), isNull(organisationInvitations.revokedAt)));
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now.getTime() + ORGANISATION_INVITATION_DAYS * 86_400_000);
    const [organisation] = await tx.select().from(organisations).where(eq(organisations.id, organisationId));
    const [invitation] = await tx.insert(organisationInvitations).values({ organisationId, email: input.email, tokenHash: hashToken(token), invitedBy: actor.id, expiresAt, createdAt: now }).returning({ id: organisationInvitations.id });
    const url = new URL("/organisations/invitation", input.origin);
    url.searchParams.set("token", token);
    await queueMail(tx, afterCommit, {
      to: input.email,
      template: organisationInvitationMail,
      data: { organisationName: organisation.name, organisationKind: ORGANISATION_KIND_LABELS[organisation.kind], invitedBy: actor.name, url: url.toString(), expiresInDays: ORGANISATION_INVITATION_DAYS },
    });
    await recordAudit(tx, { actorId: actor.id, action: "organisation.invite", entityType: "organisation", entityId: organisationId, data: { email: input.email } });
    return invitation;
  });
}

type InvitationProblem = "invalid" | "used" | "expired";
const INVITATION_MESSAGES: Record<InvitationProblem, string> = {
  invalid: "Ce lien d'invitation est invalide. Vérifiez que vous avez copié l'adresse complète du lien reçu par courriel.",
  used: "Cette invitation a déjà été acceptée ou a été remplacée par une invitation plus récente.",
  expired: "Cette invitation a expiré : demandez au responsable de l'organisation de vous inviter à nouveau.",
};

async function findInvitation(executor: Executor, token: string, now: Date) {
  const [row] = await executor
    .select({ invitation: organisationInvitations, organisationName: organisations.name })
    .from(organisationInvitations)
    .innerJoin(organisations, eq(organisations.id, organisationInvitations.organisationId))
    .where(eq(organisationInvitations.tokenHash, hashToken(token)));
  if (!row) return { problem: "invalid" as const };
  if (row.invitation.acceptedAt || row.invitation.revokedAt) return { problem: "used" as const };
  if (row.invitation.expiresAt <= now) return { problem: "expired" as const };
  const [account] = await executor.select({ id: users.id }).from(users).where(eq(users.email, row.invitation.email));
  return { problem: null, invitation: row.invitation, organisationName: row.organisationName, hasAccount: Boolean(account) };
}

/** What the invitation page shows before acceptance: the organisation, and whether an account must be created. */
export async function inspectOrganisationInvitation(token: string, now = new Date()) {
  const found = await findInvitation(db, token, now);
  if (found.problem) return { ok: false as const, message: INVITATION_MESSAGES[found.problem], status: found.problem === "invalid" ? 400 : 410 };
  return { ok: true as const, email: found.invitation.email, organisationName: found.organisationName, hasAccount: found.hasAccount };
}

/**
 * Accepts an invitation. A signed-in user must be the invited address; someone without an account
 * gives a name and a password and gets one (the link proves the address). Returns the user id so
 * the route can open a session for a new account.
 */
export async function acceptOrganisationInvitation(token: string, input: { user: SessionUser | null; newAccount?: { name: string; password: string }; now?: Date }) {
  const now = input.now ?? new Date();
  const passwordHash = input.newAccount ? await hashPassword(input.newAccount.password) : null;
  return transaction(async (tx) => {
    // Claim the invitation first, in one statement: two clicks cannot both accept it.
    const [claimed] = await tx
      .update(organisationInvitations)
      .set({ acceptedAt: now })
      .where(and(eq(organisationInvitations.tokenHash, hashToken(token)), isNull(organisationInvitations.acceptedAt), isNull(organisationInvitations.revokedAt), gt(organisationInvitations.expiresAt, now)))
      .returning();
    if (!claimed) {
      const found = await findInvitation(tx, token, now);
      const problem = found.problem ?? "used";
      throw new DomainError(`invitation_${problem}`, problem === "invalid" ? 400 : 410, INVITATION_MESSAGES[problem]);
    }
    let userId: string;
    let created = false;
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, claimed.email));
    if (input.user) {
      if (input.user.email !== claimed.email) {
        throw new DomainError("wrong_account", 403, `Cette invitation est adressée à ${claimed.email}. Déconnectez-vous puis ouvrez à nouveau le lien, ou connectez-vous avec ce compte.`);
      }
      userId = input.user.id;
    } else if (existing) {
      throw new DomainError("sign_in_required", 401, "Un compte existe déjà avec cette adresse : connectez-vous pour accepter l'invitation.");
    } else {
      if (!input.newAccount || !passwordHash) throw new DomainError("account_required", 400, "Choisissez votre nom et un mot de passe pour créer votre compte.");
      userId = newUserId();
      await tx.insert(users).values({ id: userId, email: claimed.email, name: input.newAccount.name, passwordHash, emailVerifiedAt: now, createdAt: now });
      await tx.insert(roleAssignments).values({ userId, role: "applicant" });
      created = true;
    }
    await tx.update(organisationInvitations).set({ acceptedBy: userId }).where(eq(organisationInvitations.id, claimed.id));
    await tx.insert(memberships).values({ organisationId: claimed.organisationId, userId, role: "editor" }).onConflictDoNothing();
    await recordAudit(tx, { actorId: userId, action: "organisation.join", entityType: "organisation", entityId: claimed.organisationId, data: { email: claimed.email, accountCreated: created } });
    return { userId, organisationId: claimed.organisationId, accountCreated: created };
  });
}

/** An owner removes a member; the last owner cannot leave the organisation without one. */
export async function removeMember(actor: SessionUser, organisationId: string, userId: string) {
  await assertOwner(actor.id, organisationId);
  return transaction(async (tx) => {
    const [target] = await tx.select().from(memberships).where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId))).for("update");
    if (!target) throw new DomainError("member_not_found", 404, "Ce membre n'appartient pas à l'organisation.");
    if (target.role === "owner") {
      const [owners] = await tx.select({ n: count() }).from(memberships).where(and(eq(memberships.organisationId, organisationId), eq(memberships.role, "owner")));
      if (owners.n <= 1) throw new DomainError("last_owner", 409, "L'organisation doit garder au moins un responsable.");
    }
    await tx.delete(memberships).where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId)));
    await recordAudit(tx, { actorId: actor.id, action: "organisation.remove_member", entityType: "organisation", entityId: organisationId, data: { userId } });
  });
}
