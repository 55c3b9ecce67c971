import type { MailStatus } from "~db/schema/enums";

/** How the development mailbox names an outbox status; in this mode « envoyé » means « remis dans la boîte ». */
export const MAIL_STATUS_LABELS: Record<MailStatus, string> = {
  queued: "En attente",
  sent: "Envoyé",
  failed: "Échec",
};

export const MAIL_STATUS_SEVERITY: Record<MailStatus, "info" | "success" | "error"> = {
  queued: "info",
  sent: "success",
  failed: "error",
};
