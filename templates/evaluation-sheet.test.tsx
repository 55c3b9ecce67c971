import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderEvaluationSheet } from "./evaluation-sheet";
import { sampleEvaluationSheet } from "./evaluation-sheet.sample";

/* Read back with poppler, as a reader sees the file (like receipt.test.tsx). */
const workDir = mkdtempSync(path.join(tmpdir(), "evaluation-sheet-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCount = 0;
function writePdf(buffer: Buffer) {
  const file = path.join(workDir, `sheet-${++fileCount}.pdf`);
  writeFileSync(file, buffer);
  return file;
}

function textOf(file: string, page?: number) {
  const range = page === undefined ? [] : ["-f", String(page), "-l", String(page)];
  return execFileSync("/usr/bin/pdftotext", [...range, file, "-"], { encoding: "utf8" });
}

function pageCount(file: string) {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync("/usr/bin/pdfinfo", [file], { encoding: "utf8" }))?.[1]);
}

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
/** Undoes the wrapping of text in narrow columns. */
const flat = (text: string) => plain(text).replace(/\s+/g, " ");

describe("evaluation sheet PDF", () => {
  it("shows the dossier, every evaluator's marks with weights, descriptors and justifications, the avis, amounts and scores", async () => {
    const data = sampleEvaluationSheet();
    const file = writePdf(await renderEvaluationSheet(data));
    const text = flat(textOf(file));

    expect(text).toContain("Fiche d'évaluation");
    expect(text).toContain("MB-2024-NOR-00042");
    expect(text).toContain("Établie le 15 avril 2024 à 11:00 (heure de Paris) pour Alex Programme.");
    expect(text).toContain("Document interne à l'instruction");
    for (const value of ["Communauté de communes des Vallées d’Auge et du Merlerault", "200 069 999 00017", "Médicobus des Vallées d’Auge", "Normandie", "Orne (61), Calvados (14)", "Vague 1 — premier trimestre 2024", "Instruit", "200 000 €", "80 000 €"]) {
      expect(text).toContain(value);
    }

    // The summary: each grid with its share, the consolidated score, the gap under the threshold.
    expect(text).toContain("Grille ARS (60 %) 68,00 / 100");
    expect(text).toContain("Grille ANCT (40 %) 80,00 / 100");
    expect(text).toContain("Note consolidée 72,80 / 100");
    expect(text).toContain("Écart entre les grilles 12,00 points (seuil de signalement : 20 points)");
    expect(text).not.toContain("Écart de notation signalé");

    // Per grid and per evaluator.
    expect(text).toContain("Grille ARS — 68,00 / 100 (60 % de la note consolidée)");
    expect(text).toContain("Évaluation de Dominique Instructeur — 68,00 / 100");
    expect(text).toContain("Avis : Favorable · Montant recommandé : 70 000 € · soumise le 10 avril 2024 à 10:30 (heure de Paris)");
    expect(text).toContain("Évaluation de Claude Évaluateur — 80,00 / 100");
    expect(text).toContain("Avis : Réservé · Montant recommandé : 60 000 €");
    expect(text).toContain("amendée le 12 avril 2024 à 16:05 (heure de Paris)");
    for (const rubric of data.rubrics) {
      const [evaluation] = rubric.evaluations;
      for (const criterion of rubric.criteria) {
        const mark = evaluation.marks[criterion.code].score!;
        // Poppler may or may not read the thin gaps around « / » in the bold mark as spaces.
        expect(text).toMatch(new RegExp(`${criterion.label} ${criterion.weight} ${mark} ?/ ?5 `));
        // Under the mark, in a smaller type that poppler reads apart from the row.
        expect(text).toContain(criterion.descriptors[mark]);
        expect(text).toContain(evaluation.marks[criterion.code].justification);
      }
    }
    expect(textOf(file)).not.toContain("\u202f");
  });

  it("flags a divergence for the committee, and says what is still expected", async () => {
    const base = sampleEvaluationSheet();
    const data = sampleEvaluationSheet({
      rubrics: [
        { ...base.rubrics[0], score: null, evaluations: [], pending: ["Bruno Instructeur"] },
        { ...base.rubrics[1], score: null },
      ],
      consolidated: { score: null, gap: null, gapFlag: false, threshold: 20 },
    });
    const pending = flat(textOf(writePdf(await renderEvaluationSheet(data))));
    expect(pending).toContain("Grille ARS — en attente (60 % de la note consolidée)");
    expect(pending).toContain("Aucune évaluation soumise pour cette grille.");
    expect(pending).toContain("Évaluation attendue de : Bruno Instructeur.");
    expect(pending).toContain("Note consolidée en attente");
    expect(pending).toContain("Écart entre les grilles en attente");

    const flagged = flat(textOf(writePdf(await renderEvaluationSheet(sampleEvaluationSheet({ consolidated: { score: 5000, gap: 3500, gapFlag: true, threshold: 20 } })))));
    expect(flagged).toContain("Écart entre les grilles 35,00 points (seuil de signalement : 20 points)");
    expect(flagged).toContain("Écart de notation signalé au comité : les notes ARS et ANCT diffèrent de plus de 20 points.");
  });

  it("prints what evaluators typed literally, and repeats the footer on every page of a long sheet", async () => {
    const base = sampleEvaluationSheet();
    const payload = "<script>alert('note')</script> & « 5 » ; voir p. 12";
    const long = "Justification détaillée du critère, reprise des pièces et des échanges avec le porteur. ".repeat(12);
    const [evaluation] = base.rubrics[0].evaluations;
    const marks = Object.fromEntries(Object.entries(evaluation.marks).map(([code, mark], index) => [code, { ...mark, justification: index === 0 ? payload : long }]));
    const data = sampleEvaluationSheet({ rubrics: [{ ...base.rubrics[0], evaluations: [{ ...evaluation, marks }, { ...evaluation, evaluatorName: "Bruno Instructeur", marks }] }, base.rubrics[1]] });
    const file = writePdf(await renderEvaluationSheet(data));
    expect(flat(textOf(file))).toContain(payload);

    const pages = pageCount(file);
    expect(pages).toBeGreaterThan(2);
    for (let page = 1; page <= pages; page++) {
      const text = plain(textOf(file, page));
      expect(text).toContain("Fiche d'évaluation — dossier MB-2024-NOR-00042 — document interne");
      expect(text).toContain(`Page ${page} / ${pages}`);
    }
  });
});
