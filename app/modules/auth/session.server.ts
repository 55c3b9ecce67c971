import { redirect } from "@remix-run/node";
import { eq } from "drizzle-orm";
import type { Transaction } from "~db/client.server";
import { sessions, type Role } from "~db/schema";
import { forbidden } from "~/utils/errors";
import { lucia } from "./lucia.server";
import { hasRole, type SessionUser } from "./roles";

interface CurrentSession {
  user: SessionUser;
  sessionId: string;
  /** Set-Cookie values to send back (a refreshed or cleared session cookie), possibly empty. */
  cookies: string[];
}

/** The only place that reads the session cookie. */
export async function getSession(request: Request): Promise<CurrentSession | null> {
  const sessionId = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return null;
  // One statement: session, user and roles (lucia.server.ts); a disabled account finds none.
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session || !user || user.roles.length === 0) return null;
  const cookies = session.fresh ? [lucia.createSessionCookie(session.id).serialize()] : [];
  return { user: { id: user.id, email: user.email, name: user.name, roles: user.roles }, sessionId: session.id, cookies };
}

export async function getOptionalUser(request: Request) {
  return (await getSession(request))?.user ?? null;
}

/** The sign-in page, coming back to this URL afterwards. */
function signInRedirect(request: Request) {
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  return redirect(`/connexion?redirectTo=${encodeURIComponent(redirectTo)}`);
}

/** Redirects to the sign-in page, coming back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  return (await requireSession(request)).user;
}

/** Like requireUser, with the session id (to keep this session when ending the others). */
export async function requireSession(request: Request): Promise<CurrentSession> {
  const current = await getSession(request);
  if (!current) throw signInRedirect(request);
  return current;
}

export async function requireRole(request: Request, role: Role | readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  const wanted = typeof role === "string" ? [role] : role;
  if (!wanted.some((r) => hasRole(user, r))) forbidden();
  return user;
}

export async function requireAnonymous(request: Request, to = "/mon-espace") {
  if (await getSession(request)) throw redirect(to);
}

/**
 * A fresh session (new id: no fixation) and the cookie that carries it. `replacing` is the
 * session the browser had before (another account, or a stale one): it ends now.
 */
export async function startSession(userId: string, options: { replacing?: string | null } = {}) {
  if (options.replacing) await lucia.invalidateSession(options.replacing);
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

export async function endSession(request: Request) {
  const current = await getSession(request);
  if (current) await lucia.invalidateSession(current.sessionId);
  return lucia.createBlankSessionCookie().serialize();
}

/** After a password change or when an account is disabled, every session of the user ends. */
export async function endAllSessions(userId: string) {
  await lucia.invalidateUserSessions(userId);
}

/**
 * Ends every session of a user inside a business transaction (a password changed or reset, a
 * disabled account), so that the change and the sign-out commit together.
 */
export async function endSessionsInTransaction(tx: Transaction, userId: string) {
  await tx.delete(sessions).where(eq(sessions.userId, userId));
}
