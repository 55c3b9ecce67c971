import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { CallRulesSchema } from "~/modules/calls/schema";
import { evaluationFieldLabels, evaluationFormSchema, isRubric } from "./EvaluationFormSchema";

const criteria = CallRulesSchema.parse({}).rubrics.anct;
const schema = evaluationFormSchema(criteria, 80_000_00);

/** The form as the browser hands it to conform: text fields, the pressed button's intent. */
function formData(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

function complete(extra: Record<string, string> = {}) {
  const fields: Record<string, string> = { avis: "reserve", recommended: "60 000", version: "2" };
  for (const criterion of criteria) {
    fields[`scores.${criterion.code}.score`] = "3";
    fields[`scores.${criterion.code}.justification`] = "Argumenté.";
  }
  return { ...fields, ...extra };
}

describe("the evaluation form as the browser checks it", () => {
  it("reads amounts typed in euros, with or without spaces, never as cents", () => {
    for (const [typed, cents] of [
      ["80000", 80_000_00],
      ["80 000", 80_000_00],
      ["59 999,5", 59_999_50],
    ] as const) {
      const result = parseWithZod(formData(complete({ recommended: typed, intent: "submit" })), { schema });
      expect(result.status).toBe("success");
      expect(result.status === "success" && result.value.recommended).toBe(cents);
    }
    const above = parseWithZod(formData(complete({ recommended: "80 000,01", intent: "submit" })), { schema });
    expect(above.status === "error" && above.error?.recommended?.[0]).toMatch(/^Le montant recommandé ne peut pas dépasser le montant demandé \(80\s000\s€\)\.$/);
  });

  it("lets a draft (or a field being left) miss anything, and wants everything to submit", () => {
    const partial = { "scores.perennite.score": "4" };
    expect(parseWithZod(formData(partial), { schema }).status).toBe("success");
    expect(parseWithZod(formData({ ...partial, intent: "save" }), { schema }).status).toBe("success");
    const submitted = parseWithZod(formData({ ...partial, intent: "submit" }), { schema });
    expect(submitted.status).toBe("error");
    const errors = submitted.status === "error" ? submitted.error ?? {} : {};
    expect(errors["scores.perennite.justification"]).toEqual(["Justifiez la note de ce critère."]);
    expect(errors["scores.france_ruralites.score"]).toEqual(["Notez ce critère de 0 à 5."]);
    expect(errors.avis).toEqual(["Choisissez un avis : favorable, réservé ou défavorable."]);
    // Even a draft refuses a mark out of the scale.
    const outOfScale = parseWithZod(formData({ "scores.perennite.score": "6" }), { schema });
    expect(outOfScale.status === "error" && outOfScale.error?.["scores.perennite.score"]).toEqual(["La note doit être un nombre entier de 0 à 5."]);
  });

  it("wants a reason to amend, and refuses an unknown action in French", () => {
    const amend = parseWithZod(formData(complete({ intent: "amend" })), { schema });
    expect(amend.status === "error" && amend.error?.reason).toEqual(["Indiquez pourquoi vous modifiez une évaluation déjà soumise."]);
    expect(parseWithZod(formData(complete({ intent: "amend", reason: "Pièce reçue." })), { schema }).status).toBe("success");
    const unknown = parseWithZod(formData(complete({ intent: "publier" })), { schema });
    expect(unknown.status === "error" && unknown.error?.intent).toEqual(["Action inconnue : rechargez la page et recommencez."]);
  });

  it("names every field for the error summary, and knows the two grids only", () => {
    const labels = evaluationFieldLabels(criteria);
    expect(labels["scores.perennite.score"]).toBe("Pérennité — note");
    expect(labels["scores.perennite.justification"]).toBe("Pérennité — justification");
    expect(labels.recommended).toBe("Montant recommandé");
    expect(["ars", "anct", "ARS", "ministere", undefined].map(isRubric)).toEqual([true, true, false, false, false]);
  });
});
