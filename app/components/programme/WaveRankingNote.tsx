/**
 * How the ranking and the simulation work, in words a committee member can check against the
 * table: the tie-breaks of compareForRanking (ADR 007) and the funding rule of simulate().
 */
export function WaveRankingNote({ thresholds, band }: { thresholds: { overall: number; ars: number; anct: number }; band: { min: number; max: number } }) {
  const points = (value: number) => String(value).replace(".", ",");
  return (
    // A native disclosure: it opens with the keyboard and without JavaScript.
    <details className="fr-mb-3w mb-ranking-note">
      <summary className="fr-text--lg fr-text--bold">Comment le classement est établi</summary>
      <div className="fr-pt-2w">
        <ol>
          <li>Les dossiers instruits de la vague (et la liste complémentaire reportée sur elle) sont classés par note consolidée décroissante.</li>
          <li>À note consolidée égale : la note ARS la plus haute passe devant, puis la population couverte la plus grande, puis le dépôt le plus ancien, puis la référence du dossier (ordre alphabétique) : deux dossiers n'ont jamais le même rang.</li>
          <li>
            Un dossier sous un seuil (note consolidée inférieure à {points(thresholds.overall)}, note ARS inférieure à {points(thresholds.ars)} ou note ANCT inférieure à {points(thresholds.anct)} sur 100) n'est jamais financé, même par
            dérogation.
          </li>
          <li>Le montant proposé est la moyenne des montants recommandés par les évaluateurs, à défaut le montant demandé. Il doit rester inférieur ou égal au montant demandé et représenter de {points(band.min)} % à {points(band.max)} % du coût total du projet.</li>
          <li>
            Les dossiers inclus par dérogation sont financés d'abord ; les autres ensuite dans l'ordre du classement, jusqu'au premier qui ne tient plus dans le reste à engager (euros ou médicobus) : c'est la ligne de coupure. Les
            dossiers suivants restent sous la ligne même s'ils tiendraient : un dossier plus bas n'est financé que par une inclusion justifiée par écrit.
          </li>
        </ol>
      </div>
    </details>
  );
}
