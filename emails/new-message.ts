import { button, defineMail, note, paragraph } from "./layout";

export const newMessageMail = defineMail<{ name: string; reference: string; authorLabel: string; excerpt: string; url: string }>(
  "new-message",
  ({ name, reference, authorLabel, excerpt, url }) => ({
    subject: `Nouveau message sur le dossier ${reference}`,
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph(`${authorLabel} a écrit un message sur le dossier ${reference} :`),
      note(excerpt),
      button("Lire et répondre", url),
    ],
  }),
);
