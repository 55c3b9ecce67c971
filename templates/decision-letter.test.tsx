import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderDecisionLetter, type DecisionLetterData } from "./decision-letter";
import { sampleDecisionLetter } from "./decision-letter.sample";

/* Read back with poppler's pdftotext, as a reader would see the letter. */
const workDir = mkdtempSync(path.join(tmpdir(), "decision-letter-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCount = 0;
async function textOf(data: DecisionLetterData) {
  const file = path.join(workDir, `letter-${++fileCount}.pdf`);
  writeFileSync(file, await renderDecisionLetter(data));
  // Layout mode off, lines joined: a sentence that wraps is still found whole.
  const text = execFileSync("/usr/bin/pdftotext", [file, "-"], { encoding: "utf8" });
  return text.replace(/[\u00a0\u202f]/g, " ").replace(/\s*\n\s*/g, " ");
}

const APPEALS = [
  "Voies et délais de recours",
  "dans un délai de deux mois à compter de sa notification",
  "par un recours gracieux auprès de l'autorité signataire (Ministère chargé de la santé)",
  "par un recours contentieux devant le tribunal administratif compétent",
  "« Télérecours citoyens » accessible sur le site www.telerecours.fr",
];

describe("decision letter PDF", () => {
  it("retenu: the bloc-marque, place and date, addressee, reference, object, amount, tranches and conditions", async () => {
    const text = await textOf(sampleDecisionLetter("selected"));
    for (const expected of [
      "RÉPUBLIQUE FRANÇAISE",
      "Liberté Égalité Fraternité",
      "Paris, le 2 mai 2024",
      "Communauté de communes des Vallées d’Auge et du Merlerault",
      "À l'attention de Élisabeth Lefèvre-Hébert, Présidente de la communauté de communes",
      "Référence : dossier MDB-2024-NOR-00042",
      "Objet : notification de la décision de financement — projet retenu",
      "a été retenu par le comité de sélection du 25 avril 2024, au titre de la vague 1 — premier trimestre 2024",
      "Une subvention de l'État de 80 000 € vous est attribuée.",
      "Subvention de l'État 80 000 €",
      "Part de l'État 40 % du coût total",
      "Avance (30 %) 24 000 €, versée après la signature de la convention attributive de subvention.",
      "Solde (70 %) 56 000 €, versé à la mise en service du médicobus",
      "doit être signée dans un délai de 3 mois",
      "Pendant les 3 ans du projet, vous transmettrez chaque année un rapport d'activité",
      "Pour le ministre et par délégation, le directeur général de l'offre de soins",
      ...APPEALS,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("liste complémentaire");
  });

  it("liste complémentaire: the rank, what it means and where the list goes when the wave closes", async () => {
    const text = await textOf(sampleDecisionLetter("waitlisted"));
    expect(text).toContain("Objet : notification de la décision de financement — inscription sur la liste complémentaire");
    expect(text).toContain("ce projet est inscrit sur la liste complémentaire, au rang 4.");
    expect(text).toContain("les projets de la liste complémentaire sont retenus dans l'ordre de leur rang, dans la limite des crédits libérés");
    expect(text).toContain("Elle est alors reportée, dans le même ordre, sur la vague 2 — fin 2024");
    for (const expected of APPEALS) expect(text).toContain(expected);
    expect(text).not.toContain("Subvention de l'État");

    const lastWave = await textOf(sampleDecisionLetter("waitlisted", { decision: { outcome: "waitlisted", rank: 1, nextWaveTitle: null } }));
    expect(lastWave).toContain("au rang 1.");
    expect(lastWave).toContain("qui est la dernière de l'appel à projets");
  });

  it("non retenu: the motivation as written, and the voies de recours", async () => {
    const motivation = "Budget <script>alert(1)</script> incohérent : « coût du véhicule & aménagement » non justifié.";
    const text = await textOf(sampleDecisionLetter("rejected", { decision: { outcome: "rejected", motivation } }));
    expect(text).toContain("Objet : notification de la décision de financement — projet non retenu");
    expect(text).toContain("J'ai le regret de vous informer que ce projet n'a pas été retenu.");
    expect(text).toContain(`Motifs de la décision ${motivation}`);
    for (const expected of APPEALS) expect(text).toContain(expected);
  });

  it("writes the first of the month the French way and leaves the share out when it cannot be computed", async () => {
    const data = sampleDecisionLetter("selected", { letterDate: "2024-06-30T22:30:00.000Z" });
    data.decision = { ...data.decision, stateSharePercent: null } as typeof data.decision;
    const text = await textOf(data);
    // 22:30 UTC on 30 June is already 1 July in Paris.
    expect(text).toContain("Paris, le 1er juillet 2024");
    expect(text).not.toContain("Part de l'État");
  });
});
