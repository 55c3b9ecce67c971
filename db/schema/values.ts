/*
 * The closed lists that forms and pages running in the browser need too (selects, checkboxes,
 * zod enums). They live here, free of drizzle, so that importing them does not ship the table
 * definitions and drizzle's query builder to the browser (docs/benchmarks.md, « Poids des pages »).
 * The schema files build their Postgres enums from them and re-export them.
 */

export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "changes_requested",
  "under_review",
  "reviewed",
  "ineligible",
  "selected",
  "waitlisted",
  "rejected",
  "withdrawn",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const ORGANISATION_KINDS = [
  "cpts",
  "centre_sante",
  "msp",
  "commune",
  "epci",
  "departement",
  "region",
  "autre",
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** The two scoring grids of the call: the ARS's and the ANCT's (their criteria live in the call's rules). */
export const RUBRICS = ["ars", "anct"] as const;
export type Rubric = (typeof RUBRICS)[number];

export const EVALUATION_AVIS = ["favorable", "reserve", "defavorable"] as const;
export type EvaluationAvis = (typeof EVALUATION_AVIS)[number];

/** Payments go in tranches: an advance (its share is the call's `advanceSharePercent`), then the balance. */
export const PAYMENT_TRANCHES = ["advance", "balance"] as const;
export type PaymentTranche = (typeof PAYMENT_TRANCHES)[number];

export const OVERRIDE_MODES = ["include", "exclude", "amount"] as const;
export type OverrideMode = (typeof OVERRIDE_MODES)[number];
