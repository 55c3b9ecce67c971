import type { MetaFunction } from "@remix-run/node";
import { INSTRUCTION_DOSSIER_ROUTE_ID, useInstructionData, type InstructionDossierData } from "~/components/instruction/DossierData";
import { DossierHistory } from "~/components/instruction/DossierHistory";
import { RUBRIC_LABELS } from "~/modules/instruction/schema";

export const meta: MetaFunction = ({ matches }) => {
  const data = matches.find((match) => match.id === INSTRUCTION_DOSSIER_ROUTE_ID)?.data as InstructionDossierData | undefined;
  return [{ title: `Historique — ${data?.dossier.reference ?? "Dossier"} — Instruction — Portail Médicobus` }];
};

/** The « Historique » tab. No loader: the layout's loader authorized and loaded the dossier. */
export default function InstructionHistory() {
  const data = useInstructionData();
  const amendments = data.evaluations.flatMap((evaluation) =>
    evaluation.amendments.map((amendment) => ({ rubricLabel: RUBRIC_LABELS[evaluation.rubric], evaluatorName: evaluation.evaluatorName, reason: amendment.reason, at: amendment.at, amendedByName: amendment.amendedByName })),
  );
  return (
    <>
      <h2>Historique</h2>
      <p>Du plus récent au plus ancien, avec l'auteur et la motivation de chaque décision.</p>
      <DossierHistory events={data.events} amendments={amendments} checkLabels={Object.fromEntries(data.checklist.map((item) => [item.code, item.label]))} />
    </>
  );
}
