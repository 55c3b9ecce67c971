import { button, defineMail, note, paragraph } from "./layout";

export const organisationInvitationMail = defineMail<{ organisationName: string; organisationKind: string; invitedBy: string; url: string; expiresInDays: number }>(
  "organisation-invitation",
  ({ organisationName, organisationKind, invitedBy, url, expiresInDays }) => ({
    subject: `${invitedBy} vous invite à préparer un dossier Médicobus`,
    blocks: [
      paragraph("Bonjour,"),
      paragraph(`${invitedBy} vous invite à rejoindre ${organisationName} (${organisationKind}) sur le Portail Médicobus, pour préparer et suivre ensemble ses dossiers de candidature.`),
      button("Rejoindre l'organisation", url),
      note(`Ce lien est valable ${expiresInDays} jours et ne sert qu'une fois. Si vous n'avez pas encore de compte, vous le créerez en acceptant l'invitation.`),
    ],
  }),
);
