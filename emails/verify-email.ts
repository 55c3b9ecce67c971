import { button, defineMail, note, paragraph } from "./layout";

export const verifyEmailMail = defineMail<{ name: string; url: string; expiresInHours: number }>("verify-email", ({ name, url, expiresInHours }) => ({
  subject: "Confirmez votre adresse électronique — Portail Médicobus",
  blocks: [
    paragraph(`Bonjour ${name},`),
    paragraph("Votre compte sur le Portail Médicobus a bien été créé. Pour l'activer, confirmez votre adresse électronique :"),
    button("Confirmer mon adresse", url),
    note(`Ce lien est valable ${expiresInHours} heures et ne peut servir qu'une fois. Si vous n'avez pas créé de compte, ignorez ce message.`),
  ],
}));
