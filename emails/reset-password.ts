import { button, defineMail, note, paragraph } from "./layout";

export const resetPasswordMail = defineMail<{ name: string; url: string; expiresInMinutes: number }>("reset-password", ({ name, url, expiresInMinutes }) => ({
  subject: "Réinitialisation de votre mot de passe — Portail Médicobus",
  blocks: [
    paragraph(`Bonjour ${name},`),
    paragraph("Une demande de réinitialisation du mot de passe de votre compte a été faite. Pour choisir un nouveau mot de passe :"),
    button("Choisir un nouveau mot de passe", url),
    note(`Ce lien est valable ${expiresInMinutes} minutes et ne peut servir qu'une fois. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.`),
  ],
}));
