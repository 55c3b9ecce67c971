import type { DecisionOutcome, LetterMailTemplate } from "~db/schema";

/*
 * The mail that carries a decision letter is written by the manager, with {{placeholders}}
 * filled for each recipient. Which placeholders exist, and for which outcomes, is data: a
 * template is checked against this table before anything is sent, so a typo (« {{montnat}} »)
 * is refused with its name rather than mailed as is to a hundred applicants.
 */

export const OUTCOMES = ["selected", "waitlisted", "rejected"] as const satisfies readonly DecisionOutcome[];

export const OUTCOME_LABELS: Record<DecisionOutcome, string> = {
  selected: "Retenu",
  waitlisted: "Liste complémentaire",
  rejected: "Non retenu",
};

export const PLACEHOLDERS = {
  nom: { description: "nom du destinataire", outcomes: OUTCOMES },
  organisation: { description: "nom de l'organisation porteuse", outcomes: OUTCOMES },
  reference: { description: "référence du dossier", outcomes: OUTCOMES },
  titre: { description: "intitulé du projet", outcomes: OUTCOMES },
  vague: { description: "vague de l'appel à projets", outcomes: OUTCOMES },
  decision: { description: "décision en toutes lettres", outcomes: OUTCOMES },
  lien: { description: "adresse du dossier sur le portail", outcomes: OUTCOMES },
  montant: { description: "subvention attribuée, en euros", outcomes: ["selected"] },
  rang: { description: "rang sur la liste complémentaire", outcomes: ["waitlisted"] },
  motif: { description: "motif du refus", outcomes: ["rejected"] },
} as const satisfies Record<string, { description: string; outcomes: readonly DecisionOutcome[] }>;

export type PlaceholderName = keyof typeof PLACEHOLDERS;
export type PlaceholderValues = Partial<Record<PlaceholderName, string>>;

/** {{ name }} with optional spaces; any other use of « {{ » is a mistake the check reports. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

const isPlaceholder = (name: string): name is PlaceholderName => Object.hasOwn(PLACEHOLDERS, name);

/** What is wrong with the placeholders of one text, in French, naming each one; empty when all is well. */
export function placeholderProblems(text: string, outcome: DecisionOutcome): string[] {
  const problems: string[] = [];
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (!isPlaceholder(name)) {
      problems.push(`Le champ {{${name}}} n'existe pas. Champs possibles : ${placeholdersFor(outcome).map((known) => `{{${known}}}`).join(", ")}.`);
    } else if (!(PLACEHOLDERS[name].outcomes as readonly DecisionOutcome[]).includes(outcome)) {
      problems.push(`Le champ {{${name}}} ne s'applique pas aux courriers « ${OUTCOME_LABELS[outcome]} ».`);
    }
  }
  const unclosed = text.replace(PLACEHOLDER, "");
  if (unclosed.includes("{{") || unclosed.includes("}}")) problems.push("Des accolades {{ }} ne sont pas appariées : écrivez chaque champ sous la forme {{nom}}.");
  return [...new Set(problems)];
}

export function placeholdersFor(outcome: DecisionOutcome): PlaceholderName[] {
  return (Object.keys(PLACEHOLDERS) as PlaceholderName[]).filter((name) => (PLACEHOLDERS[name].outcomes as readonly DecisionOutcome[]).includes(outcome));
}

/** The text with its placeholders filled. Only called on checked templates: an unknown name is left as written. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (isPlaceholder(name) ? (values[name] ?? "") : whole));
}

/** The templates a batch starts from; the manager edits them on the outbox page. */
export const DEFAULT_TEMPLATES: Record<DecisionOutcome, LetterMailTemplate> = {
  selected: {
    subject: "Votre projet est retenu — dossier {{reference}}",
    body: [
      "Bonjour {{nom}},",
      "Le projet « {{titre}} » porté par {{organisation}} est retenu au titre de la {{vague}}. Une subvention de l'État de {{montant}} lui est attribuée.",
      "Le courrier de décision est joint à ce message : il précise le versement de la subvention en deux tranches et les conditions à remplir, à commencer par la signature de la convention.",
      "Le courrier reste téléchargeable depuis le dossier, sur le portail.",
    ].join("\n\n"),
  },
  waitlisted: {
    subject: "Votre projet est inscrit sur la liste complémentaire — dossier {{reference}}",
    body: [
      "Bonjour {{nom}},",
      "Le projet « {{titre}} » porté par {{organisation}} est inscrit sur la liste complémentaire de la {{vague}}, au rang {{rang}}.",
      "Il pourra être retenu si des crédits se libèrent. Le courrier de décision joint à ce message explique ce que signifie cette inscription.",
      "Le courrier reste téléchargeable depuis le dossier, sur le portail.",
    ].join("\n\n"),
  },
  rejected: {
    subject: "Décision sur votre projet — dossier {{reference}}",
    body: [
      "Bonjour {{nom}},",
      "Le projet « {{titre}} » porté par {{organisation}} n'a pas été retenu au titre de la {{vague}}.",
      "Le courrier de décision joint à ce message en donne les motifs et indique les voies et délais de recours.",
      "Le courrier reste téléchargeable depuis le dossier, sur le portail.",
    ].join("\n\n"),
  },
};
