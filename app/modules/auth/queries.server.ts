import { asc, desc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { db } from "~db/client.server";
import { roleAssignments, users, type TokenPurpose } from "~db/schema";
import { accountStatus } from "./account-status";
import { isPlainKey } from "~/utils/ids";
import { inspectToken } from "./tokens.server";

/** What the account and admin pages read; the changes go through service.server.ts. */

const USER_COLUMNS = {
  id: users.id,
  email: users.email,
  name: users.name,
  createdAt: users.createdAt,
  emailVerifiedAt: users.emailVerifiedAt,
  disabledAt: users.disabledAt,
  hasPassword: sql<boolean>`${users.passwordHash} is not null`,
};

type Grant = Pick<typeof roleAssignments.$inferSelect, "id" | "role" | "regionCode">;

async function grantsByUser(userIds: string[]) {
  const byUser = new Map<string, Grant[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .select({ id: roleAssignments.id, userId: roleAssignments.userId, role: roleAssignments.role, regionCode: roleAssignments.regionCode })
    .from(roleAssignments)
    .where(inArray(roleAssignments.userId, userIds))
    .orderBy(asc(roleAssignments.createdAt));
  for (const { userId, ...grant } of rows) byUser.set(userId, [...(byUser.get(userId) ?? []), grant]);
  return byUser;
}

/** `%`, `_` and `\` typed in the search box are searched for, not wildcards. */
function likePattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const USER_LIST_LIMIT = 100;

/** The admin list: the most recent accounts first, optionally those whose name or email contains `search`. */
export async function listUsers(options: { search?: string } = {}) {
  const search = options.search?.trim();
  const where = search ? or(ilike(users.name, likePattern(search)), ilike(users.email, likePattern(search.toLowerCase()))) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db.select(USER_COLUMNS).from(users).where(where).orderBy(desc(users.createdAt), asc(users.email)).limit(USER_LIST_LIMIT),
    db.select({ total: sql<number>`count(*)::int` }).from(users).where(where),
  ]);
  const grants = await grantsByUser(rows.map((row) => row.id));
  return {
    total,
    users: rows.map((row) => ({ ...row, status: accountStatus(row), roles: grants.get(row.id) ?? [] })),
  };
}

export async function getUserDetail(userId: string) {
  if (!isPlainKey(userId)) return null;
  const [row] = await db.select(USER_COLUMNS).from(users).where(eq(users.id, userId));
  if (!row) return null;
  const grants = await grantsByUser([row.id]);
  return { ...row, status: accountStatus(row), roles: grants.get(row.id) ?? [] };
}

/**
 * Whether a link from a mail still works, and for whom, before its form is shown. Only the
 * first name is needed on the page; the address is shown so the person knows which account.
 */
export async function checkLink(purpose: TokenPurpose, token: string, now = new Date()) {
  const inspected = await inspectToken(db, purpose, token, now);
  if (inspected.problem) return { problem: inspected.problem, user: null } as const;
  const [user] = await db
    .select({ email: users.email, name: users.name, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, inspected.userId));
  return { problem: null, user: user ?? null } as const;
}
