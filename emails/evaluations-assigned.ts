import { button, defineMail, note, paragraph } from "./layout";

export interface AssignedEvaluation {
  reference: string;
  title: string;
  rubricLabel: string;
  /** « 12 mars 2026 ». */
  due: string;
}

/** Beyond this many, the mail names the first ones and counts the rest: the list page has them all. */
const LISTED = 20;

/**
 * Tells an evaluator that dossiers were given to them, with the grid and the due date: one mail
 * per manual assignment, one per evaluator for an automatic run (however many dossiers it gave).
 */
export const evaluationsAssignedMail = defineMail<{ name: string; evaluations: AssignedEvaluation[]; url: string }>(
  "evaluations-assigned",
  ({ name, evaluations, url }) => {
    const count = evaluations.length;
    const listed = evaluations.slice(0, LISTED);
    return {
      subject: count > 1 ? `${count} dossiers vous sont confiés pour évaluation` : `Dossier ${evaluations[0].reference} confié pour évaluation`,
      blocks: [
        paragraph(`Bonjour ${name},`),
        paragraph(count > 1 ? `Les ${count} évaluations suivantes vous sont confiées sur le portail Médicobus :` : "L'évaluation suivante vous est confiée sur le portail Médicobus :"),
        ...listed.map((evaluation) => paragraph(`${evaluation.reference} — ${evaluation.title || "(sans titre)"} — ${evaluation.rubricLabel}, à soumettre avant le ${evaluation.due}`)),
        ...(count > LISTED ? [paragraph(`… et ${count - LISTED} autres, dans votre liste de dossiers.`)] : []),
        button(count > 1 ? "Ouvrir mes dossiers à évaluer" : "Ouvrir le dossier", url),
        note("Un lien avec le porteur de projet ? Déclarez un conflit d'intérêts depuis le dossier avant de l'évaluer : il sera confié à un autre agent."),
      ],
    };
  },
);
