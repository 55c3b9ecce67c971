import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { and, eq, isNull, sql } from "drizzle-orm";
import { generateIdFromEntropySize, Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from "lucia";
import { db } from "~db/client.server";
import { roleAssignments, sessions, users } from "~db/schema";
import { isProduction } from "~/env.server";
import type { RoleGrant } from "./roles";

/*
 * Lucia v3 is in maintenance (ADR 003): only this module and session.server.ts may import it,
 * so that replacing it touches nothing outside app/modules/auth.
 */

/**
 * Every request of a signed-in person looks up their session: the session, its user and the
 * user's roles come in one statement, built once (a prepared query), instead of the adapter's
 * query followed by a second one for the roles (docs/benchmarks.md, « Routes sous charge »).
 * A disabled account matches no row: its sessions are refused like unknown ones.
 */
const sessionLookup = db
  .select({
    id: sessions.id,
    userId: sessions.userId,
    expiresAt: sessions.expiresAt,
    email: users.email,
    name: users.name,
    roles: sql<RoleGrant[]>`coalesce((select json_agg(json_build_object('role', ${roleAssignments.role}, 'regionCode', ${roleAssignments.regionCode})) from ${roleAssignments} where ${roleAssignments.userId} = ${users.id}), '[]'::json)`,
  })
  .from(sessions)
  .innerJoin(users, eq(users.id, sessions.userId))
  .where(and(eq(sessions.id, sql.placeholder("sessionId")), isNull(users.disabledAt)))
  .prepare("session_lookup");

class SessionAdapter extends DrizzlePostgreSQLAdapter {
  override async getSessionAndUser(sessionId: string): Promise<[session: DatabaseSession | null, user: DatabaseUser | null]> {
    const [row] = await sessionLookup.execute({ sessionId });
    if (!row) return [null, null];
    return [
      { id: row.id, userId: row.userId, expiresAt: row.expiresAt, attributes: {} },
      { id: row.userId, attributes: { email: row.email, name: row.name, roles: row.roles } },
    ];
  }
}

// why the cast: the adapter's types name each driver's database class; both of ours are PgDatabase.
const adapter = new SessionAdapter(db as never, sessions, users);

export const lucia = new Lucia(adapter, {
  sessionExpiresIn: new TimeSpan(12, "h"),
  sessionCookie: {
    name: "mb_session",
    expires: false,
    attributes: { secure: isProduction, sameSite: "lax", path: "/" },
  },
  getUserAttributes: (attributes) => ({ email: attributes.email, name: attributes.name, roles: attributes.roles }),
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    DatabaseUserAttributes: { email: string; name: string; roles: RoleGrant[] };
  }
}

/** A new user id in Lucia's format (16 characters of base32, 80 bits of entropy). */
export function newUserId() {
  return generateIdFromEntropySize(10);
}
