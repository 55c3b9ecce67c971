import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { formatScore } from "~/modules/instruction/scoring";

export interface VisibleScores {
  ars: number | null;
  anct: number | null;
  consolidated: number | null;
  gapFlag: boolean;
}

/** « 73,33 / 100 », or a dash that says in words that there is no score yet. */
export function ScoreText({ hundredths }: { hundredths: number | null }) {
  if (hundredths === null) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="fr-sr-only">pas encore de note</span>
      </>
    );
  }
  return <>{formatScore(hundredths)}&nbsp;/&nbsp;100</>;
}

/** The flag of an ARS/ANCT gap, in words (never a colour alone). */
export function GapFlagBadge({ small = false }: { small?: boolean }) {
  return (
    <Badge severity="warning" small={small} as="span">
      Écart de notation signalé
    </Badge>
  );
}

/**
 * The scores of a dossier in its header: each rubric's and the consolidated one. An agent who
 * declared a conflict of interest gets no scores from the server (null): the page says why.
 */
export function DossierScores({ scores, threshold }: { scores: VisibleScores | null; threshold: number }) {
  if (!scores) {
    return (
      <p className="fr-mb-0 fr-text--sm">
        <span className="fr-icon-eye-off-line fr-icon--sm fr-mr-1v" aria-hidden="true" />
        Notes masquées : vous avez déclaré un conflit d'intérêts sur ce dossier.
      </p>
    );
  }
  const items = [
    { label: "Note ARS", value: scores.ars },
    { label: "Note ANCT", value: scores.anct },
    { label: "Note consolidée", value: scores.consolidated },
  ];
  return (
    <div>
      <ul className="fr-raw-list fr-grid-row fr-grid-row--gutters" aria-label="Notes du dossier">
        {items.map((item) => (
          <li key={item.label} className="fr-col-4 fr-col-md-3">
            <p className="fr-mb-0 fr-text--sm">{item.label}</p>
            <p className="fr-mb-0 fr-text--lead fr-text--bold">
              <ScoreText hundredths={item.value} />
            </p>
          </li>
        ))}
      </ul>
      {scores.gapFlag ? (
        <p className="fr-mt-1w fr-mb-0">
          <GapFlagBadge /> <span className="fr-text--sm">Les notes ARS et ANCT diffèrent de plus de {threshold} points : le comité examinera ce dossier avec attention.</span>
        </p>
      ) : null}
    </div>
  );
}
