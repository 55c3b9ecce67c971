import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES, fillPlaceholders, OUTCOMES, placeholderProblems, PLACEHOLDERS, placeholdersFor } from "./placeholders";
import { LetterTemplatesSchema } from "./schema";

describe("mail placeholders", () => {
  it("accepts every placeholder of an outcome, with or without spaces, and fills them", () => {
    for (const outcome of OUTCOMES) {
      const text = placeholdersFor(outcome)
        .map((name) => `{{ ${name} }}`)
        .join(" ");
      expect([outcome, placeholderProblems(text, outcome)]).toEqual([outcome, []]);
    }
    expect(fillPlaceholders("Bonjour {{nom}}, {{ montant }} pour {{reference}}.", { nom: "Jeanne", montant: "80 000 €", reference: "MDB-1" })).toBe("Bonjour Jeanne, 80 000 € pour MDB-1.");
  });

  it("names an unknown placeholder and lists the ones that exist", () => {
    expect(placeholderProblems("Montant : {{montnat}}", "selected")).toEqual([
      "Le champ {{montnat}} n'existe pas. Champs possibles : {{nom}}, {{organisation}}, {{reference}}, {{titre}}, {{vague}}, {{decision}}, {{lien}}, {{montant}}.",
    ]);
  });

  it("refuses a placeholder of another outcome: no amount in a refusal, no rank for a selected project", () => {
    for (const outcome of OUTCOMES) {
      for (const [name, placeholder] of Object.entries(PLACEHOLDERS)) {
        const applies = (placeholder.outcomes as readonly string[]).includes(outcome);
        expect([outcome, name, placeholderProblems(`{{${name}}}`, outcome).length]).toEqual([outcome, name, applies ? 0 : 1]);
      }
    }
    expect(placeholderProblems("Rang {{rang}}", "selected")).toEqual(["Le champ {{rang}} ne s'applique pas aux courriers « Retenu »."]);
  });

  it("reports braces that do not pair", () => {
    expect(placeholderProblems("Bonjour {{nom}, votre dossier", "rejected")).toEqual(["Des accolades {{ }} ne sont pas appariées : écrivez chaque champ sous la forme {{nom}}."]);
    expect(placeholderProblems("Bonjour nom}}", "rejected")).toHaveLength(1);
  });

  it("the form schema carries each problem on its field; the default templates pass", () => {
    expect(LetterTemplatesSchema.safeParse(DEFAULT_TEMPLATES).success).toBe(true);
    const result = LetterTemplatesSchema.safeParse({ ...DEFAULT_TEMPLATES, rejected: { subject: "Décision {{montant}}", body: "" } });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues).toEqual([
      ["rejected.subject", "Le champ {{montant}} ne s'applique pas aux courriers « Non retenu »."],
      ["rejected.body", "Écrivez le texte du courriel « Non retenu »."],
    ]);
  });
});
