import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { applications } from "./applications";
import { waves } from "./calls";
import { users } from "./users";
import { OVERRIDE_MODES, PAYMENT_TRANCHES } from "./values";

export { OVERRIDE_MODES, PAYMENT_TRANCHES, type OverrideMode, type PaymentTranche } from "./values";

export const LEDGER_ENTRY_KINDS = ["commitment", "release", "payment", "carry_over_out", "carry_over_in"] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];
export const ledgerEntryKindEnum = pgEnum("ledger_entry_kind", LEDGER_ENTRY_KINDS);

export const paymentTrancheEnum = pgEnum("payment_tranche", PAYMENT_TRANCHES);

/**
 * The budget ledger: the only source of committed / paid / remaining, per wave, per région and in
 * total (app/modules/budget/ledger.ts computes them from these rows). Append-only: a trigger
 * (migration 0007) refuses UPDATE, DELETE and TRUNCATE; a mistake is corrected by a new entry
 * (a release), never by editing one. Amounts are positive integer cents; the kind gives the sign.
 *
 * The foreign keys have no ON DELETE action on purpose: a cascade or SET NULL would be an UPDATE
 * or DELETE that the trigger refuses, and a dossier or a user with money on it must not vanish.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    waveId: uuid("wave_id")
      .notNull()
      .references(() => waves.id),
    /** The dossier the money is for; null for carry-overs, which move a wave's remainder. */
    applicationId: uuid("application_id").references(() => applications.id),
    /** The dossier's région at the time of the entry (per-région totals without a join); null for carry-overs. */
    regionCode: text("region_code"),
    kind: ledgerEntryKindEnum("kind").notNull(),
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    /** Buses committed or released; for carry-overs, the part of the bus target moved with the money. */
    buses: integer("buses").notNull().default(0),
    tranche: paymentTrancheEnum("tranche"),
    /** For a carry-over, the other wave: where the money goes (out) or where it comes from (in). */
    counterpartWaveId: uuid("counterpart_wave_id").references(() => waves.id),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id),
    motivation: text("motivation"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("ledger_entries_wave_idx").on(t.waveId, t.kind),
    index("ledger_entries_application_idx").on(t.applicationId),
    // The shape of each kind, as a backstop to the rules of the budget module: a row the rules
    // would never write cannot be written by hand either.
    check("ledger_entries_amounts_check", sql`${t.amountCents} >= 0 and ${t.buses} >= 0 and (${t.amountCents} > 0 or ${t.buses} > 0)`),
    check("ledger_entries_commitment_check", sql`${t.kind} <> 'commitment' or ${t.amountCents} > 0`),
    check("ledger_entries_payment_check", sql`(${t.kind} = 'payment') = (${t.tranche} is not null) and (${t.kind} <> 'payment' or (${t.amountCents} > 0 and ${t.buses} = 0))`),
    check("ledger_entries_dossier_check", sql`(${t.kind} in ('carry_over_out', 'carry_over_in')) = (${t.applicationId} is null)`),
    check("ledger_entries_carry_over_check", sql`(${t.kind} in ('carry_over_out', 'carry_over_in')) = (${t.counterpartWaveId} is not null)`),
  ],
);

export const DECISION_OUTCOMES = ["selected", "waitlisted", "rejected"] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];
export const decisionOutcomeEnum = pgEnum("decision_outcome", DECISION_OUTCOMES);

/**
 * The programme's decision on a dossier. A table of its own rather than columns on
 * `applications`: a decision can be reopened and taken again, and each decision (amount, rank,
 * motivation, who and when) must stay readable afterwards, next to why it was reopened. The
 * current decision is the one not reopened; the partial unique index keeps it single.
 */
export const decisions = pgTable(
  "decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    /** The wave whose budget the decision draws on (a dossier carried over is decided in the next wave). */
    waveId: uuid("wave_id")
      .notNull()
      .references(() => waves.id),
    outcome: decisionOutcomeEnum("outcome").notNull(),
    /** Selected: the State subsidy awarded, committed in the ledger in the same transaction. */
    awardedCents: bigint("awarded_cents", { mode: "number" }),
    buses: integer("buses").notNull().default(0),
    /** Waitlisted: the rank on the reserve list (1 = first promoted). */
    waitlistRank: integer("waitlist_rank"),
    motivation: text("motivation"),
    decidedBy: text("decided_by")
      .notNull()
      .references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull().defaultNow(),
    reopenedBy: text("reopened_by").references(() => users.id),
    reopenedAt: timestamp("reopened_at", { withTimezone: true }),
    reopenMotivation: text("reopen_motivation"),
  },
  (t) => [
    uniqueIndex("decisions_current_unique").on(t.applicationId).where(sql`${t.reopenedAt} is null`),
    index("decisions_wave_idx").on(t.waveId, t.outcome),
    check("decisions_selected_check", sql`(${t.outcome} = 'selected') = (${t.awardedCents} is not null) and (${t.awardedCents} is null or ${t.awardedCents} > 0)`),
    check("decisions_waitlisted_check", sql`(${t.outcome} = 'waitlisted') = (${t.waitlistRank} is not null) and (${t.waitlistRank} is null or ${t.waitlistRank} > 0)`),
  ],
);

export const overrideModeEnum = pgEnum("override_mode", OVERRIDE_MODES);

/**
 * A manager's override of the simulator on one dossier of a wave: include it below the cut
 * (territorial balance), exclude it, or change its awarded amount — always with a written
 * justification. Kept, not overwritten: a new override revokes the previous one (revokedAt), so
 * the history of what was forced, by whom and why stays readable; one override is active per
 * dossier and wave.
 */
export const simulationOverrides = pgTable(
  "simulation_overrides",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    waveId: uuid("wave_id")
      .notNull()
      .references(() => waves.id),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    mode: overrideModeEnum("mode").notNull(),
    /** The awarded amount forced by the override (mode `amount`, or `include` at another amount). */
    awardedCents: bigint("awarded_cents", { mode: "number" }),
    justification: text("justification").notNull(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedBy: text("revoked_by").references(() => users.id),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("simulation_overrides_active_unique").on(t.waveId, t.applicationId).where(sql`${t.revokedAt} is null`),
    check("simulation_overrides_amount_check", sql`(${t.mode} <> 'amount' or ${t.awardedCents} is not null) and (${t.mode} <> 'exclude' or ${t.awardedCents} is null) and (${t.awardedCents} is null or ${t.awardedCents} > 0)`),
  ],
);
