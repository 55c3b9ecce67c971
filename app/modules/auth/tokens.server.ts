import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor, Transaction } from "~db/client.server";
import { tokens, type TokenPurpose } from "~db/schema";
import { DomainError } from "~/utils/errors";

/** How long a link sent by mail stays valid, by purpose. */
export const TOKEN_TTL_MINUTES: Record<TokenPurpose, number> = {
  verify_email: 24 * 60,
  reset_password: 60,
  invitation: 7 * 24 * 60,
};

/** Why a link cannot be used; each has its own page text (« lien expiré » tells the user what to do). */
export type TokenProblem = "invalid" | "used" | "expired";

export const TOKEN_PROBLEM_MESSAGES: Record<TokenProblem, string> = {
  invalid: "Ce lien est invalide. Vérifiez que vous avez copié l'adresse complète du lien reçu par courriel.",
  used: "Ce lien a déjà été utilisé : il ne sert qu'une fois.",
  expired: "Ce lien a expiré.",
};

/** A used or expired link is « gone » (410); a link that never existed is a bad request (400). */
export const TOKEN_PROBLEM_STATUS: Record<TokenProblem, 400 | 410> = { invalid: 400, used: 410, expired: 410 };

export class TokenError extends DomainError {
  constructor(readonly problem: TokenProblem) {
    super(`token_${problem}`, TOKEN_PROBLEM_STATUS[problem], TOKEN_PROBLEM_MESSAGES[problem]);
    this.name = "TokenError";
  }
}

export function hashToken(token: string) {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Creates a single-use token for a user and returns the secret to put in the link. Only its
 * SHA-256 is stored: a copy of the table gives no usable link. A new password-reset token makes
 * the user's older unused ones void, so that only the latest mail works.
 */
export async function issueToken(tx: Transaction, purpose: TokenPurpose, userId: string, now = new Date()) {
  if (purpose === "reset_password" || purpose === "invitation") {
    await tx
      .update(tokens)
      .set({ usedAt: now })
      .where(and(eq(tokens.userId, userId), eq(tokens.purpose, purpose), isNull(tokens.usedAt)));
  }
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + TOKEN_TTL_MINUTES[purpose] * 60_000);
  await tx.insert(tokens).values({ purpose, tokenHash: hashToken(token), userId, expiresAt, createdAt: now });
  return { token, expiresAt };
}

/**
 * Uses a token, once: a single UPDATE that only matches an unused, unexpired token, so two
 * concurrent clicks cannot both succeed. When nothing matched, a second look says why.
 * Throws a TokenError; returns the user the token was issued to.
 */
export async function consumeToken(tx: Transaction, purpose: TokenPurpose, token: string, now = new Date()) {
  const [used] = await tx
    .update(tokens)
    .set({ usedAt: now })
    .where(and(eq(tokens.tokenHash, hashToken(token)), eq(tokens.purpose, purpose), isNull(tokens.usedAt), gt(tokens.expiresAt, now)))
    .returning({ userId: tokens.userId });
  if (used) return used;
  throw new TokenError((await inspectToken(tx, purpose, token, now)).problem ?? "invalid");
}

/**
 * Tells, without using it, whether a token would be accepted now (to show a form only for a
 * link that works). The answer is advisory: consumeToken decides.
 */
export async function inspectToken(
  executor: Executor,
  purpose: TokenPurpose,
  token: string,
  now = new Date(),
): Promise<{ problem: TokenProblem; userId: string | null } | { problem: null; userId: string }> {
  const [row] = await executor
    .select({ userId: tokens.userId, usedAt: tokens.usedAt, expiresAt: tokens.expiresAt })
    .from(tokens)
    .where(and(eq(tokens.tokenHash, hashToken(token)), eq(tokens.purpose, purpose)));
  if (!row) return { problem: "invalid", userId: null };
  if (row.usedAt) return { problem: "used", userId: row.userId };
  if (row.expiresAt <= now) return { problem: "expired", userId: row.userId };
  return { problem: null, userId: row.userId };
}

/** Voids every unused token of a purpose for a user (a reset that succeeded, a disabled account). */
export async function revokeTokens(tx: Transaction, userId: string, purpose: TokenPurpose, now = new Date()) {
  await tx
    .update(tokens)
    .set({ usedAt: now })
    .where(and(eq(tokens.userId, userId), eq(tokens.purpose, purpose), isNull(tokens.usedAt)));
}
