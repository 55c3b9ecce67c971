import { index, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { roleEnum, tokenPurposeEnum } from "./enums";

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  /** Always stored lower-cased and trimmed (see auth rules). */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** Null for an invited agent who has not set a password yet. */
  passwordHash: text("password_hash"),
  emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Lucia's session table (kept behind app/modules/auth). */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** A role held by a user; `regionCode` scopes ARS and regional ANCT agents (INSEE région code). */
export const roleAssignments = pgTable(
  "role_assignments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    regionCode: text("region_code"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    // NULLS NOT DISTINCT is PostgreSQL 15+; both engines here support it.
    unique("role_assignments_unique").on(t.userId, t.role, t.regionCode).nullsNotDistinct(),
  ],
);

/**
 * Single-use tokens sent by mail (email verification, password reset, invitation).
 * Only the SHA-256 of the token is stored: a leaked table gives no usable link.
 */
export const tokens = pgTable(
  "tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    purpose: tokenPurposeEnum("purpose").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("tokens_user_purpose_idx").on(t.userId, t.purpose)],
);

/**
 * Failed sign-in (and reset) attempts, kept in the database so that throttling holds across
 * several app processes. `scope` is « email » or « ip », `key` the value.
 */
export const authAttempts = pgTable(
  "auth_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    action: text("action").notNull(),
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    weight: integer("weight").notNull().default(1),
  },
  (t) => [index("auth_attempts_lookup_idx").on(t.action, t.scope, t.key, t.createdAt)],
);
