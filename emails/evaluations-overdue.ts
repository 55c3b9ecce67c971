import { button, defineMail, note, paragraph } from "./layout";

export interface OverdueEvaluation {
  reference: string;
  title: string;
  rubricLabel: string;
  /** « 12 mars 2026 ». */
  due: string;
}

/** The daily reminder of an evaluator's overdue evaluations (one mail a day at most, see the reminders job). */
export const evaluationsOverdueMail = defineMail<{ name: string; evaluations: OverdueEvaluation[]; url: string }>(
  "evaluations-overdue",
  ({ name, evaluations, url }) => {
    const count = evaluations.length;
    return {
      subject: count > 1 ? `${count} évaluations en retard sur le portail Médicobus` : "Une évaluation en retard sur le portail Médicobus",
      blocks: [
        paragraph(`Bonjour ${name},`),
        paragraph(count > 1 ? `Les ${count} évaluations suivantes ont dépassé leur date d'échéance :` : "L'évaluation suivante a dépassé sa date d'échéance :"),
        ...evaluations.map((evaluation) => paragraph(`${evaluation.reference} — ${evaluation.title || "(sans titre)"} — ${evaluation.rubricLabel}, attendue le ${evaluation.due}`)),
        button("Ouvrir mes dossiers à évaluer", url),
        note("Si vous ne pouvez pas évaluer un dossier (absence, conflit d'intérêts), signalez-le depuis le dossier pour qu'il soit confié à un autre agent."),
      ],
    };
  },
);
