import { Document, StyleSheet, Text, View } from "@react-pdf/renderer";
import { formatScore } from "~/modules/instruction/scoring";
import { pdfEuros, pdfParisDateTime, pdfPercent, pdfSafe, pdfSiret, pdfText } from "./format";
import { KeyValueTable, OfficialPage, Section } from "./layout";
import { renderPdf } from "./render.server";
import { colors, styles } from "./styles";

export interface EvaluationSheetCriterion {
  code: string;
  label: string;
  weight: number;
  /** What each mark from 0 to 5 means, as the call's grid says. */
  descriptors: readonly string[];
}

export interface EvaluationSheetEvaluation {
  evaluatorName: string;
  /** ISO instants. */
  submittedAt: string | null;
  amendedAt: string | null;
  avisLabel: string | null;
  recommendedCents: number | null;
  /** Out of 100, in hundredths (6 800 = 68,00). */
  weightedScore: number | null;
  marks: Record<string, { score: number | null; justification: string }>;
  amendments: number;
}

export interface EvaluationSheetRubric {
  label: string;
  /** The grid's share of the consolidated score, in percent. */
  weightPercent: number;
  /** The grid's score as consolidated on the dossier, in hundredths; null until every evaluation of both grids is in. */
  score: number | null;
  criteria: readonly EvaluationSheetCriterion[];
  evaluations: readonly EvaluationSheetEvaluation[];
  /** Evaluators assigned who have not submitted yet. */
  pending: readonly string[];
}

export interface EvaluationSheetData {
  reference: string;
  callTitle: string;
  waveTitle: string;
  statusLabel: string;
  submittedAt: string | null;
  organisation: { name: string; kindLabel: string; siret: string };
  projectTitle: string;
  regionName: string;
  departements: readonly string[];
  totalCostCents: number;
  requestedCents: number;
  /** ISO instant the sheet was made, and for whom: it circulates among agents only. */
  generatedAt: string;
  generatedBy: string;
  rubrics: readonly EvaluationSheetRubric[];
  /** Scores in hundredths; `gap` is the ARS/ANCT difference, flagged above `threshold` points. */
  consolidated: { score: number | null; gap: number | null; gapFlag: boolean; threshold: number };
}

const ISSUER = ["Portail Médicobus", "Instruction des dossiers"];

const sheetStyles = StyleSheet.create({
  reference: { fontSize: 22, lineHeight: 1.2, fontWeight: 700, marginBottom: 2 },
  confidential: { fontSize: 8.5, lineHeight: 1.3, color: colors.mention, marginBottom: 6 },
  rubricTitle: { fontSize: 11, lineHeight: 1.2, fontWeight: 700, color: colors.blueFrance, marginTop: 14, marginBottom: 4 },
  evaluation: { marginTop: 8, marginBottom: 4 },
  evaluationTitle: { fontWeight: 700, fontSize: 10, lineHeight: 1.3, marginBottom: 2 },
  evaluationMeta: { fontSize: 8.5, lineHeight: 1.3, color: colors.label, marginBottom: 4 },
  tableHead: { flexDirection: "row", backgroundColor: colors.background, borderBottomWidth: 1, borderBottomColor: colors.blueFrance, paddingVertical: 3 },
  tableRow: { flexDirection: "row", paddingVertical: 3, borderBottomWidth: 0.5, borderBottomColor: colors.border },
  headCell: { fontWeight: 700, fontSize: 8.5, lineHeight: 1.2, paddingHorizontal: 3 },
  cell: { fontSize: 8.5, lineHeight: 1.3, paddingHorizontal: 3 },
  descriptor: { fontSize: 7.5, lineHeight: 1.25, color: colors.mention },
  criterionColumn: { width: "27%" },
  weightColumn: { width: "9%", textAlign: "right", paddingRight: 10 },
  markColumn: { width: "20%" },
  justificationColumn: { width: "44%" },
  flagged: { marginTop: 6, padding: 6, borderLeftWidth: 3, borderLeftColor: "#b34000", backgroundColor: "#fff4f3", fontWeight: 700 },
  pending: { marginTop: 4, fontSize: 8.5, lineHeight: 1.3, color: colors.label },
});

const score = (hundredths: number | null) => (hundredths === null ? "en attente" : `${pdfText(formatScore(hundredths))}\u00a0/\u00a0100`);

function CriteriaTable({ criteria, evaluation }: { criteria: readonly EvaluationSheetCriterion[]; evaluation: EvaluationSheetEvaluation }) {
  return (
    <View>
      <View style={sheetStyles.tableHead} wrap={false}>
        <Text style={[sheetStyles.headCell, sheetStyles.criterionColumn]}>Critère</Text>
        <Text style={[sheetStyles.headCell, sheetStyles.weightColumn]}>Poids</Text>
        <Text style={[sheetStyles.headCell, sheetStyles.markColumn]}>Note sur 5</Text>
        <Text style={[sheetStyles.headCell, sheetStyles.justificationColumn]}>Justification</Text>
      </View>
      {criteria.map((criterion) => {
        const mark = evaluation.marks[criterion.code];
        const value = mark?.score ?? null;
        return (
          <View key={criterion.code} style={sheetStyles.tableRow} wrap={false}>
            <Text style={[sheetStyles.cell, sheetStyles.criterionColumn]}>{criterion.label}</Text>
            <Text style={[sheetStyles.cell, sheetStyles.weightColumn]}>{criterion.weight}</Text>
            <View style={sheetStyles.markColumn}>
              <Text style={[sheetStyles.cell, { fontWeight: 700 }]}>{value === null ? "—" : `${value}\u00a0/\u00a05`}</Text>
              {value !== null && criterion.descriptors[value] ? <Text style={[sheetStyles.cell, sheetStyles.descriptor]}>{criterion.descriptors[value]}</Text> : null}
            </View>
            <Text style={[sheetStyles.cell, sheetStyles.justificationColumn]}>{mark?.justification || "—"}</Text>
          </View>
        );
      })}
    </View>
  );
}

function EvaluationBlock({ criteria, evaluation }: { criteria: readonly EvaluationSheetCriterion[]; evaluation: EvaluationSheetEvaluation }) {
  const dates = [
    evaluation.submittedAt ? `soumise le ${pdfParisDateTime(evaluation.submittedAt)}` : null,
    evaluation.amendedAt ? `amendée le ${pdfParisDateTime(evaluation.amendedAt)}${evaluation.amendments > 1 ? ` (${evaluation.amendments} amendements)` : ""}` : null,
  ].filter(Boolean);
  return (
    <View style={sheetStyles.evaluation}>
      {/* The title stays with the first rows of its table. */}
      <View wrap={false} minPresenceAhead={60}>
        <Text style={sheetStyles.evaluationTitle}>
          Évaluation de {evaluation.evaluatorName} — {score(evaluation.weightedScore)}
        </Text>
        <Text style={sheetStyles.evaluationMeta}>
          Avis : {evaluation.avisLabel ?? "non renseigné"} · Montant recommandé : {evaluation.recommendedCents === null ? "non renseigné" : pdfEuros(evaluation.recommendedCents)}
          {dates.length > 0 ? ` · ${dates.join(", ")}` : ""}
        </Text>
      </View>
      <CriteriaTable criteria={criteria} evaluation={evaluation} />
    </View>
  );
}

function RubricSection({ rubric }: { rubric: EvaluationSheetRubric }) {
  return (
    <View>
      <Text style={sheetStyles.rubricTitle} minPresenceAhead={80}>
        {rubric.label} — {score(rubric.score)} ({pdfPercent(rubric.weightPercent)} de la note consolidée)
      </Text>
      {rubric.evaluations.length === 0 ? <Text style={styles.mention}>Aucune évaluation soumise pour cette grille.</Text> : null}
      {rubric.evaluations.map((evaluation, index) => (
        // Two evaluators may share a name: the position is the identity.
        <EvaluationBlock key={index} criteria={rubric.criteria} evaluation={evaluation} />
      ))}
      {rubric.pending.length > 0 ? <Text style={sheetStyles.pending}>Évaluation attendue de : {rubric.pending.join(", ")}.</Text> : null}
    </View>
  );
}

export function EvaluationSheetDocument({ data: rawData }: { data: EvaluationSheetData }) {
  const data = pdfSafe(rawData);
  return (
    <Document
      title={`Fiche d'évaluation — ${data.reference}`}
      subject={data.callTitle}
      author="Portail Médicobus"
      creator="Portail Médicobus"
      producer="Portail Médicobus"
      language="fr-FR"
    >
      <OfficialPage issuer={ISSUER} footerLabel={`Fiche d'évaluation — dossier ${data.reference} — document interne`}>
        <Text style={styles.title}>Fiche d'évaluation</Text>
        <Text style={sheetStyles.reference}>{data.reference}</Text>
        <Text style={sheetStyles.confidential}>
          Établie le {pdfParisDateTime(data.generatedAt)} pour {data.generatedBy}. Document interne à l'instruction : il ne se transmet pas au porteur de projet.
        </Text>

        <Section title="Dossier">
          <KeyValueTable
            rows={[
              ["Porteur de projet", data.organisation.name],
              ["Catégorie", data.organisation.kindLabel],
              ["SIRET", pdfSiret(data.organisation.siret)],
              ["Projet", data.projectTitle || "Sans titre"],
              ["Région", data.regionName],
              [data.departements.length > 1 ? "Départements" : "Département", data.departements.join(", ")],
              ["Appel à projets", data.callTitle],
              ["Vague", data.waveTitle],
              ["Statut", data.statusLabel],
              ["Déposé le", data.submittedAt ? pdfParisDateTime(data.submittedAt) : "—"],
              ["Coût total du projet", pdfEuros(data.totalCostCents)],
              ["Subvention de l’État demandée", pdfEuros(data.requestedCents)],
            ]}
          />
        </Section>

        <Section title="Synthèse des notes">
          <KeyValueTable
            rows={[
              ...data.rubrics.map((rubric) => [`${rubric.label} (${pdfPercent(rubric.weightPercent)})`, score(rubric.score)] as const),
              ["Note consolidée", score(data.consolidated.score)],
              [
                "Écart entre les grilles",
                data.consolidated.gap === null ? "en attente" : `${pdfText(formatScore(data.consolidated.gap))} points (seuil de signalement : ${data.consolidated.threshold} points)`,
              ],
            ]}
          />
          {data.consolidated.gapFlag ? (
            <Text style={sheetStyles.flagged} wrap={false}>
              Écart de notation signalé au comité : les notes ARS et ANCT diffèrent de plus de {data.consolidated.threshold} points.
            </Text>
          ) : null}
        </Section>

        {data.rubrics.map((rubric) => (
          <RubricSection key={rubric.label} rubric={rubric} />
        ))}
      </OfficialPage>
    </Document>
  );
}

export function renderEvaluationSheet(data: EvaluationSheetData): Promise<Buffer> {
  return renderPdf(<EvaluationSheetDocument data={data} />);
}
