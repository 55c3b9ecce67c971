import type { ApplicationStatus, Role } from "~db/schema";

/**
 * The dossier life cycle as data (DESIGN.md). Each event names the statuses it leaves, the status
 * it reaches and the roles that may fire it. Guards that need more than the status (deadline,
 * completeness, budget) live in the service that fires the event; this table is the first gate.
 */
export interface Transition {
  from: readonly ApplicationStatus[];
  to: ApplicationStatus;
  by: readonly Role[];
  /** Whether the actor must write why (kept in the history). */
  motivation: "required" | "optional";
}

const BEFORE_FINAL_DECISION = ["draft", "submitted", "changes_requested", "under_review", "reviewed", "waitlisted"] as const;

export const TRANSITIONS = {
  submit: { from: ["draft"], to: "submitted", by: ["applicant"], motivation: "optional" },
  resubmit: { from: ["changes_requested"], to: "submitted", by: ["applicant"], motivation: "optional" },
  admit: { from: ["submitted"], to: "under_review", by: ["ars_agent"], motivation: "required" },
  declare_ineligible: { from: ["submitted"], to: "ineligible", by: ["ars_agent"], motivation: "required" },
  request_changes: { from: ["submitted", "under_review", "reviewed"], to: "changes_requested", by: ["ars_agent"], motivation: "required" },
  complete_review: { from: ["under_review"], to: "reviewed", by: ["ars_agent", "anct_agent"], motivation: "optional" },
  select: { from: ["reviewed", "waitlisted"], to: "selected", by: ["program_manager"], motivation: "optional" },
  waitlist: { from: ["reviewed"], to: "waitlisted", by: ["program_manager"], motivation: "optional" },
  reject: { from: ["reviewed", "waitlisted"], to: "rejected", by: ["program_manager"], motivation: "required" },
  reopen_decision: { from: ["selected", "waitlisted", "rejected"], to: "reviewed", by: ["program_manager"], motivation: "required" },
  withdraw: { from: [...BEFORE_FINAL_DECISION, "selected"], to: "withdrawn", by: ["applicant"], motivation: "required" },
} as const satisfies Record<string, Transition>;

export type ApplicationEvent = keyof typeof TRANSITIONS;

export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  draft: "Brouillon",
  submitted: "Déposé",
  changes_requested: "En correction",
  under_review: "En instruction",
  reviewed: "Instruit",
  ineligible: "Irrecevable",
  selected: "Retenu",
  waitlisted: "Liste complémentaire",
  rejected: "Non retenu",
  withdrawn: "Retiré",
};

/** DSFR badge severities, so that a status reads the same everywhere. */
export const STATUS_BADGES: Record<ApplicationStatus, "info" | "success" | "warning" | "error" | "new" | undefined> = {
  draft: undefined,
  submitted: "info",
  changes_requested: "warning",
  under_review: "info",
  reviewed: "new",
  ineligible: "error",
  selected: "success",
  waitlisted: "warning",
  rejected: "error",
  withdrawn: undefined,
};

export type TransitionCheck =
  | { allowed: true; to: ApplicationStatus }
  | { allowed: false; reason: "status" | "role" | "motivation"; message: string };

/** Whether `event` may fire on a dossier in `status`, by someone holding `roles`. */
export function checkTransition(
  status: ApplicationStatus,
  event: ApplicationEvent,
  roles: readonly Role[],
  motivation?: string | null,
): TransitionCheck {
  const transition: Transition = TRANSITIONS[event];
  if (!transition.from.includes(status)) {
    return { allowed: false, reason: "status", message: `Action impossible : le dossier est au statut « ${STATUS_LABELS[status]} ».` };
  }
  if (!transition.by.some((role) => roles.includes(role))) {
    return { allowed: false, reason: "role", message: "Vous n'avez pas le rôle nécessaire pour cette action." };
  }
  if (transition.motivation === "required" && !motivation?.trim()) {
    return { allowed: false, reason: "motivation", message: "Une motivation est obligatoire pour cette action." };
  }
  return { allowed: true, to: transition.to };
}

/** The final statuses: nothing but a manager's reopening changes them. */
export const FINAL_STATUSES: readonly ApplicationStatus[] = ["ineligible", "selected", "rejected", "withdrawn"];
