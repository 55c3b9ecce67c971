import { bigint, date, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";

/**
 * A call for projects (appel à projets). Everything that another call could change — the
 * co-financing band, the cost range, the required pieces, the rubrics — is data in `rules`,
 * validated by the calls module, never a constant in code.
 */
export const calls = pgTable("calls", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  summary: text("summary").notNull(),
  envelopeCents: bigint("envelope_cents", { mode: "number" }).notNull(),
  busTarget: integer("bus_target").notNull(),
  rules: jsonb("rules").notNull().default({}),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A deployment wave. Deadlines are wall-clock: a date, a closing hour and a time zone
 * (Europe/Paris), so that « le 15 mars à 12:00 » stays right across daylight-saving changes.
 */
export const waves = pgTable(
  "waves",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    opensOn: date("opens_on").notNull(),
    closesOn: date("closes_on").notNull(),
    closingTime: text("closing_time").notNull().default("12:00"),
    timeZone: text("time_zone").notNull().default("Europe/Paris"),
    budgetCents: bigint("budget_cents", { mode: "number" }).notNull(),
    busTarget: integer("bus_target").notNull(),
    /**
     * Optional indicative quota of buses per région (INSEE région code → buses), set on the
     * waves page. A column of the wave rather than a call rule: like the budget and the bus
     * target it differs from one wave to the next, and the call's rules are shared by all its
     * waves. A map because most régions have none; indicative, so nothing enforces it here.
     */
    regionBusQuotas: jsonb("region_bus_quotas").$type<Record<string, number>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("waves_call_number_unique").on(t.callId, t.number)],
);
