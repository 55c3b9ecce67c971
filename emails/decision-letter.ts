import { button, defineMail, facts, note, paragraph } from "./layout";

/**
 * The mail that carries a decision letter. Its subject and body are the manager's template with
 * the placeholders already filled (app/modules/letters); blank lines separate the paragraphs.
 */
export const decisionLetterMail = defineMail<{ subject: string; body: string; reference: string; outcomeLabel: string; fileName: string; url: string }>(
  "decision-letter",
  ({ subject, body, reference, outcomeLabel, fileName, url }) => ({
    subject,
    blocks: [
      ...body
        .split(/\n\s*\n/)
        .map((text) => text.trim())
        .filter(Boolean)
        .map(paragraph),
      facts([
        ["Dossier", reference],
        ["Décision", outcomeLabel],
        ["Courrier joint", fileName],
      ]),
      button("Consulter le dossier", url),
      note("Le courrier de décision (PDF) fait foi. Conservez-le : il indique les voies et délais de recours."),
    ],
  }),
);
