import { button, defineMail, facts, note, paragraph } from "./layout";

export const agentInvitationMail = defineMail<{ name: string; url: string; roles: string[]; invitedBy: string; expiresInDays: number }>(
  "agent-invitation",
  ({ name, url, roles, invitedBy, expiresInDays }) => ({
    subject: "Invitation au Portail Médicobus",
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph(`${invitedBy} vous invite à rejoindre le Portail Médicobus pour instruire et suivre les projets de médicobus.`),
      facts([["Rôle(s)", roles.join(", ")]]),
      paragraph("Pour activer votre compte, choisissez votre mot de passe :"),
      button("Activer mon compte", url),
      note(`Ce lien est valable ${expiresInDays} jours et ne peut servir qu'une fois.`),
    ],
  }),
);
