import { and, desc, eq, gt, lt, or } from "drizzle-orm";
import type { Executor, Transaction } from "~db/client.server";
import { authAttempts } from "~db/schema";
import { DomainError } from "~/utils/errors";

/**
 * Limits on attempts, as data. Sign-in counts failures only (a success clears the email's);
 * link requests count every request, found account or not, so that the limit says nothing about
 * which addresses have an account. The rows live in the database: several app processes share
 * them.
 */
export const THROTTLE_RULES = {
  sign_in: [
    { scope: "email", max: 5, windowMinutes: 15 },
    { scope: "ip", max: 20, windowMinutes: 15 },
  ],
  password_reset: [
    { scope: "email", max: 3, windowMinutes: 60 },
    { scope: "ip", max: 10, windowMinutes: 60 },
  ],
  resend_verification: [
    { scope: "email", max: 3, windowMinutes: 60 },
    { scope: "ip", max: 10, windowMinutes: 60 },
  ],
} as const satisfies Record<string, ReadonlyArray<{ scope: "email" | "ip"; max: number; windowMinutes: number }>>;

export type ThrottledAction = keyof typeof THROTTLE_RULES;
export type ThrottleScope = (typeof THROTTLE_RULES)[ThrottledAction][number]["scope"];

/** Who is attempting: the address typed (normalised) and the client's IP when known. */
export interface AttemptKeys {
  email: string;
  ip: string | null;
}

const LONGEST_WINDOW_MINUTES = Math.max(...Object.values(THROTTLE_RULES).flatMap((rules) => rules.map((rule) => rule.windowMinutes)));

function keyFor(scope: ThrottleScope, keys: AttemptKeys) {
  return scope === "email" ? keys.email : keys.ip;
}

/**
 * Throws a 429 DomainError when one of the action's limits is reached. The wait announced is the
 * time until the oldest attempt that counts leaves the window, rounded up to the minute.
 */
export async function assertNotThrottled(executor: Executor, action: ThrottledAction, keys: AttemptKeys, now = new Date()) {
  let waitMs = 0;
  for (const rule of THROTTLE_RULES[action]) {
    const key = keyFor(rule.scope, keys);
    if (!key) continue;
    const since = new Date(now.getTime() - rule.windowMinutes * 60_000);
    const recent = await executor
      .select({ createdAt: authAttempts.createdAt })
      .from(authAttempts)
      .where(and(eq(authAttempts.action, action), eq(authAttempts.scope, rule.scope), eq(authAttempts.key, key), gt(authAttempts.createdAt, since)))
      .orderBy(desc(authAttempts.createdAt))
      .limit(rule.max);
    if (recent.length < rule.max) continue;
    const freedAt = recent[rule.max - 1].createdAt.getTime() + rule.windowMinutes * 60_000;
    waitMs = Math.max(waitMs, freedAt - now.getTime());
  }
  if (waitMs > 0) {
    const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
    throw new DomainError(
      "throttled",
      429,
      `Trop de tentatives. Pour protéger les comptes, réessayez dans ${minutes} minute${minutes > 1 ? "s" : ""}.`,
    );
  }
}

/** Counts one attempt against every limit of the action. */
export async function recordAttempt(tx: Transaction, action: ThrottledAction, keys: AttemptKeys, now = new Date()) {
  const rows = THROTTLE_RULES[action]
    .map((rule) => ({ scope: rule.scope, key: keyFor(rule.scope, keys) }))
    .filter((row): row is { scope: ThrottleScope; key: string } => row.key !== null)
    .map((row) => ({ action, scope: row.scope, key: row.key, createdAt: now }));
  if (rows.length > 0) await tx.insert(authAttempts).values(rows);
  // Rows older than every window count for nothing: trim them as we go, a few at a time.
  const expired = new Date(now.getTime() - LONGEST_WINDOW_MINUTES * 60_000);
  await tx.delete(authAttempts).where(and(eq(authAttempts.action, action), lt(authAttempts.createdAt, expired), or(...rows.map((row) => eq(authAttempts.key, row.key)))));
}

/** A successful sign-in forgives the failures typed against that email (not those of the IP). */
export async function clearAttempts(tx: Transaction, action: ThrottledAction, keys: Pick<AttemptKeys, "email">) {
  await tx.delete(authAttempts).where(and(eq(authAttempts.action, action), eq(authAttempts.scope, "email"), eq(authAttempts.key, keys.email)));
}
