import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { calls, waves } from "./calls";
import { applicationStatusEnum } from "./enums";
import { organisations } from "./organisations";
import { users } from "./users";

/**
 * A dossier. The form's content is jsonb (validated per step by the applications module);
 * `version` is bumped by every save so that a stale save is refused (optimistic locking).
 */
export const applications = pgTable(
  "applications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference").notNull().unique(),
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id),
    waveId: uuid("wave_id")
      .notNull()
      .references(() => waves.id),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** INSEE région code, computed from the communes served; routes the dossier to its ARS. */
    regionCode: text("region_code"),
    status: applicationStatusEnum("status").notNull().default("draft"),
    title: text("title").notNull().default(""),
    formData: jsonb("form_data").notNull().default({}),
    version: integer("version").notNull().default(1),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("applications_org_idx").on(t.organisationId),
    index("applications_wave_status_idx").on(t.waveId, t.status),
    index("applications_region_status_idx").on(t.regionCode, t.status),
  ],
);

/** The dossier's history: every transition, with who, when and why. */
export const applicationEvents = pgTable(
  "application_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    event: text("event").notNull(),
    fromStatus: applicationStatusEnum("from_status"),
    toStatus: applicationStatusEnum("to_status"),
    motivation: text("motivation"),
    data: jsonb("data").notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("application_events_app_idx").on(t.applicationId, t.createdAt)],
);
