import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { ApplicationStatus } from "~db/schema";
import { STATUS_BADGES, STATUS_LABELS } from "~/modules/applications/lifecycle";

/** A dossier's status as the same DSFR badge everywhere (header, lists, « Mon espace »). */
export function DossierStatusBadge({ status, small = false, as = "p" }: { status: ApplicationStatus; small?: boolean; as?: "p" | "span" }) {
  return (
    <Badge severity={STATUS_BADGES[status]} small={small} as={as} noIcon={STATUS_BADGES[status] === undefined}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
