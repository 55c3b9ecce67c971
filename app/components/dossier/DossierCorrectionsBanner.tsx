import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Link } from "@remix-run/react";
import { SECTION_KEYS, type SectionKey } from "~/modules/applications/form";
import { formatDateTime } from "~/modules/calls/time";
import { SECTION_TITLES, sectionPath } from "./DossierLinks";

/**
 * Shown on every page of a dossier in correction: the ARS's message (the motivation of its last
 * correction request) and the reopened parts, each a link to its page.
 */
export function DossierCorrectionsBanner({
  reference,
  request,
  reopenedSections,
}: {
  reference: string;
  request: { motivation: string | null; createdAt: string } | null;
  reopenedSections: string[];
}) {
  const sections = reopenedSections.filter((key): key is SectionKey => (SECTION_KEYS as string[]).includes(key));
  return (
    <Alert
      className="fr-mb-4w"
      severity="warning"
      as="h2"
      title="Des corrections sont demandées"
      description={
        <>
          {request?.motivation ? (
            <>
              <p className="fr-mb-1v">Message de l'agence régionale de santé du {formatDateTime(new Date(request.createdAt))} :</p>
              <blockquote className="fr-my-1w fr-ml-0" style={{ whiteSpace: "pre-wrap" }}>
                « {request.motivation} »
              </blockquote>
            </>
          ) : null}
          {sections.length > 0 ? (
            <>
              <p className="fr-mt-2w fr-mb-1v">Parties à corriger :</p>
              <ul className="fr-mb-2w">
                {sections.map((key) => (
                  <li key={key}>
                    <Link to={sectionPath(reference, key)}>{SECTION_TITLES[key]}</Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="fr-mb-0">
            Une fois les corrections faites, déposez à nouveau le dossier depuis le{" "}
            <Link to={`/dossiers/${reference}/recapitulatif`}>récapitulatif</Link>.
          </p>
        </>
      }
    />
  );
}
