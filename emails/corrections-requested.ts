import { button, defineMail, facts, paragraph } from "./layout";

export const correctionsRequestedMail = defineMail<{ name: string; reference: string; sections: string[]; message: string; url: string }>(
  "corrections-requested",
  ({ name, reference, sections, message, url }) => ({
    subject: `Corrections demandées sur le dossier ${reference}`,
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph("L'ARS qui instruit votre dossier demande des compléments avant de poursuivre l'instruction :"),
      paragraph(message),
      facts([["Parties à compléter", sections.join(", ")]]),
      paragraph("Ces parties sont de nouveau modifiables. Une fois les corrections faites, déposez à nouveau le dossier depuis son récapitulatif."),
      button("Compléter le dossier", url),
    ],
  }),
);
