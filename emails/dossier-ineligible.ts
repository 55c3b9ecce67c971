import { button, defineMail, facts, note, paragraph } from "./layout";

/** Mailed to every member of the organisation when the ARS declares the dossier inadmissible. */
export const dossierIneligibleMail = defineMail<{ name: string; reference: string; title: string; regionName: string; motivation: string; url: string }>(
  "dossier-ineligible",
  ({ name, reference, title, regionName, motivation, url }) => ({
    subject: `Dossier ${reference} déclaré irrecevable`,
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph(`Après examen de sa recevabilité, l'ARS ${regionName} a déclaré votre dossier irrecevable. Il ne sera pas évalué. Motivation de la décision :`),
      paragraph(motivation),
      facts([
        ["Dossier", reference],
        ["Projet", title || "(sans titre)"],
      ]),
      button("Voir le dossier", url),
      note("Vous pouvez poser vos questions à l'ARS depuis la messagerie du dossier."),
    ],
  }),
);
