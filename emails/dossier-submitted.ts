import { button, defineMail, facts, note, paragraph } from "./layout";

export const dossierSubmittedMail = defineMail<{ name: string; reference: string; projectTitle: string; submittedAt: string; submittedHash: string; url: string; resubmission: boolean }>(
  "dossier-submitted",
  ({ name, reference, projectTitle, submittedAt, submittedHash, url, resubmission }) => ({
    subject: `${resubmission ? "Dossier complété et déposé à nouveau" : "Récépissé de dépôt"} — ${reference}`,
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph(
        resubmission
          ? `Le dossier « ${projectTitle} » a été déposé à nouveau après les corrections demandées. L'ARS de votre région reprend son instruction.`
          : `Le dossier « ${projectTitle} » a bien été déposé. Le récépissé de dépôt est joint à ce message ; il est aussi téléchargeable depuis le dossier.`,
      ),
      facts([
        ["Référence", reference],
        ["Déposé le", submittedAt],
        ["Empreinte (SHA-256)", submittedHash],
      ]),
      button("Suivre le dossier", url),
      note("L'ARS de votre région vérifie d'abord la recevabilité du dossier. Vous serez prévenu par courriel de chaque étape."),
    ],
  }),
);
