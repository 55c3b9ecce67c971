import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { generateIdFromEntropySize, Lucia, TimeSpan } from "lucia";
import { db } from "~db/client.server";
import { sessions, users } from "~db/schema";
import { isProduction } from "~/env.server";

/**
 * Lucia v3 is in maintenance (ADR 003): only this module and session.server.ts may import it,
 * so that replacing it touches nothing outside app/modules/auth.
 */
// why the cast: the adapter's types name each driver's database class; both of ours are PgDatabase.
const adapter = new DrizzlePostgreSQLAdapter(db as never, sessions, users);

export const lucia = new Lucia(adapter, {
  sessionExpiresIn: new TimeSpan(12, "h"),
  sessionCookie: {
    name: "mb_session",
    expires: false,
    attributes: { secure: isProduction, sameSite: "lax", path: "/" },
  },
  getUserAttributes: (attributes) => ({ email: attributes.email, name: attributes.name }),
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    DatabaseUserAttributes: { email: string; name: string };
  }
}

/** A new user id in Lucia's format (16 characters of base32, 80 bits of entropy). */
export function newUserId() {
  return generateIdFromEntropySize(10);
}
