import { and, asc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { db } from "~db/client.server";
import { applications, auditLog, conflictsOfInterest, decisions, ledgerEntries, organisations, users, waves, type DecisionOutcome, type LedgerEntryKind, type PaymentTranche } from "~db/schema";
import { STATUS_LABELS } from "~/modules/applications/lifecycle";
import { canonicalJson } from "~/modules/audit/chain";
import { auditActionLabel, auditEntityLabel } from "~/modules/audit/labels";
import { auditCondition, auditEntriesAfter, type AuditEntryRow, type AuditFilters } from "~/modules/audit/queries.server";
import type { SessionUser } from "~/modules/auth/roles";
import { waveRanking } from "~/modules/budget/decisions.server";
import { assertProgramManager } from "~/modules/budget/service.server";
import { SIMULATION_OUTCOME_LABELS } from "~/modules/budget/simulation";
import { regionName } from "~/modules/geo/regions";
import { dossierListConditions } from "~/modules/instruction/queries.server";
import type { DossierListFilters } from "~/modules/instruction/schema";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";
import { DomainError } from "~/utils/errors";
import type { ExportColumn } from "./columns";
import { arrayBatches, keysetBatches, type ExportList } from "./stream.server";

/*
 * The lists the portal exports, each as an ExportList: its columns and a row source read in
 * keyset batches. Every list checks who asks, like the page it comes from: the dossiers with
 * the instruction list's scope and filters (an ARS agent gets its région only), the programme's
 * lists for program managers only.
 */

const region = (code: string | null) => (code ? regionName(code) : null);

export const DECISION_LABELS: Record<DecisionOutcome, string> = { selected: "Retenu", waitlisted: "Liste complémentaire", rejected: "Non retenu" };
export const LEDGER_KIND_LABELS: Record<LedgerEntryKind, string> = {
  commitment: "Engagement",
  release: "Libération",
  payment: "Paiement",
  carry_over_out: "Report vers une autre vague",
  carry_over_in: "Report reçu d'une autre vague",
};
export const TRANCHE_LABELS: Record<PaymentTranche, string> = { advance: "Avance", balance: "Solde" };

// ——— Dossiers (the instruction list) ———

/**
 * The instruction list as a file: the same scope and filters as /instruction (the same SQL,
 * dossierListConditions), every page at once, in reference order — the reference is unique and
 * indexed, so it serves as the keyset. Scores on which the agent declared a conflict stay empty.
 */
export function dossierExport(agent: SessionUser, rawFilters: DossierListFilters = {}) {
  const { conflictJoin, consolidated, ars, anct, pageWhere } = dossierListConditions(agent, rawFilters);
  const columns = {
    reference: applications.reference,
    title: applications.title,
    status: applications.status,
    organisationName: organisations.name,
    organisationKind: organisations.kind,
    organisationSiret: organisations.siret,
    regionCode: applications.regionCode,
    departementCodes: applications.departementCodes,
    waveTitle: waves.title,
    populationCovered: applications.populationCovered,
    totalCostCents: applications.totalCostCents,
    requestedCents: applications.requestedCents,
    consolidatedScore: consolidated,
    arsScore: ars,
    anctScore: anct,
    scoreGapFlag: sql<boolean>`(${applications.scoreGapFlag} and ${conflictsOfInterest.userId} is null)`,
    submittedAt: applications.submittedAt,
  };
  const base = () => db.select(columns).from(applications).innerJoin(organisations, eq(organisations.id, applications.organisationId)).innerJoin(waves, eq(waves.id, applications.waveId)).leftJoin(conflictsOfInterest, conflictJoin);
  type Row = Awaited<ReturnType<ReturnType<typeof base>["execute"]>>[number];
  const exportColumns: ExportColumn<Row>[] = [
    { header: "Référence", type: "text", value: (row) => row.reference, width: 18 },
    { header: "Intitulé du projet", type: "text", value: (row) => row.title, width: 40 },
    { header: "Statut", type: "text", value: (row) => STATUS_LABELS[row.status] },
    { header: "Porteur", type: "text", value: (row) => row.organisationName, width: 32 },
    { header: "Type de porteur", type: "text", value: (row) => ORGANISATION_KIND_LABELS[row.organisationKind] },
    { header: "SIRET du porteur", type: "text", value: (row) => row.organisationSiret, width: 16 },
    { header: "Région", type: "text", value: (row) => region(row.regionCode) },
    { header: "Départements", type: "text", value: (row) => row.departementCodes.join(", "), width: 14 },
    { header: "Vague", type: "text", value: (row) => row.waveTitle },
    { header: "Population couverte", type: "integer", value: (row) => row.populationCovered },
    { header: "Coût total (€)", type: "euros", value: (row) => row.totalCostCents },
    { header: "Montant demandé (€)", type: "euros", value: (row) => row.requestedCents },
    { header: "Note consolidée (/100)", type: "score", value: (row) => row.consolidatedScore },
    { header: "Note ARS (/100)", type: "score", value: (row) => row.arsScore },
    { header: "Note ANCT (/100)", type: "score", value: (row) => row.anctScore },
    { header: "Écart de notes signalé", type: "text", value: (row) => (row.scoreGapFlag ? "oui" : "non") },
    { header: "Déposé le", type: "datetime", value: (row) => row.submittedAt },
  ];
  return {
    title: "Dossiers",
    fileStem: "dossiers-medicobus",
    columns: exportColumns,
    async count() {
      const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(applications).innerJoin(organisations, eq(organisations.id, applications.organisationId)).leftJoin(conflictsOfInterest, conflictJoin).where(pageWhere);
      return row.count;
    },
    batches: () =>
      keysetBatches(
        (after: string | null, limit) =>
          base()
            .where(and(pageWhere, after === null ? undefined : gt(applications.reference, after)))
            .orderBy(asc(applications.reference))
            .limit(limit),
        (row) => row.reference,
      ),
  } satisfies ExportList<Row>;
}

// ——— A wave's ranking ———

const WaveIdSchema = z.uuid();

/**
 * A wave's ranking with the simulation the wave page shows (active overrides applied): the same
 * computation (waveRanking), written in ranking order. The ranking is computed whole — the
 * simulator needs every dossier — so its batches come from memory.
 */
export async function rankingExport(actor: SessionUser, waveId: string) {
  assertProgramManager(actor);
  if (!WaveIdSchema.safeParse(waveId).success) throw new DomainError("wave_not_found", 404, "Vague introuvable.");
  const ranking = await waveRanking(actor, waveId);
  const byId = new Map(ranking.dossiers.map((dossier) => [dossier.id, dossier]));
  const rows = ranking.simulation.rows.map((row) => ({ ...row, dossier: byId.get(row.id)! }));
  type Row = (typeof rows)[number];
  const columns: ExportColumn<Row>[] = [
    { header: "Rang", type: "integer", value: (row) => row.rank, width: 8 },
    { header: "Référence", type: "text", value: (row) => row.reference, width: 18 },
    { header: "Intitulé du projet", type: "text", value: (row) => row.dossier.title, width: 40 },
    { header: "Région", type: "text", value: (row) => region(row.dossier.regionCode) },
    { header: "Note consolidée (/100)", type: "score", value: (row) => row.dossier.consolidatedScore },
    { header: "Note ARS (/100)", type: "score", value: (row) => row.dossier.arsScore },
    { header: "Note ANCT (/100)", type: "score", value: (row) => row.dossier.anctScore },
    { header: "Population couverte", type: "integer", value: (row) => row.dossier.populationCovered },
    { header: "Montant demandé (€)", type: "euros", value: (row) => row.dossier.requestedCents },
    { header: "Montant recommandé (€)", type: "euros", value: (row) => row.dossier.recommendedCents },
    { header: "Montant proposé (€)", type: "euros", value: (row) => row.awardedCents },
    { header: "Cumul engagé (€)", type: "euros", value: (row) => row.cumulativeCents },
    { header: "Simulation", type: "text", value: (row) => SIMULATION_OUTCOME_LABELS[row.outcome] },
    { header: "Motif", type: "text", value: (row) => row.reason, width: 40 },
  ];
  return {
    title: `Classement — ${ranking.wave.title}`,
    fileStem: `classement-vague-${ranking.wave.number}`,
    columns,
    count: async () => rows.length,
    batches: () => arrayBatches(rows),
  } satisfies ExportList<Row>;
}

// ——— Decisions ———

const decider = alias(users, "decider");
const reopener = alias(users, "reopener");

/** Every decision taken, the reopened ones too (with why), oldest first: keyset on (decided_at, id). */
export function decisionsExport(actor: SessionUser) {
  assertProgramManager(actor);
  const base = () =>
    db
      .select({
        id: decisions.id,
        decidedAt: decisions.decidedAt,
        reference: applications.reference,
        title: applications.title,
        organisationName: organisations.name,
        regionCode: applications.regionCode,
        waveTitle: waves.title,
        outcome: decisions.outcome,
        awardedCents: decisions.awardedCents,
        buses: decisions.buses,
        waitlistRank: decisions.waitlistRank,
        motivation: decisions.motivation,
        deciderName: decider.name,
        reopenedAt: decisions.reopenedAt,
        reopenerName: reopener.name,
        reopenMotivation: decisions.reopenMotivation,
      })
      .from(decisions)
      .innerJoin(applications, eq(applications.id, decisions.applicationId))
      .innerJoin(organisations, eq(organisations.id, applications.organisationId))
      .innerJoin(waves, eq(waves.id, decisions.waveId))
      .innerJoin(decider, eq(decider.id, decisions.decidedBy))
      .leftJoin(reopener, eq(reopener.id, decisions.reopenedBy));
  type Row = Awaited<ReturnType<ReturnType<typeof base>["execute"]>>[number];
  const columns: ExportColumn<Row>[] = [
    { header: "Décidé le", type: "datetime", value: (row) => row.decidedAt },
    { header: "Référence", type: "text", value: (row) => row.reference, width: 18 },
    { header: "Intitulé du projet", type: "text", value: (row) => row.title, width: 40 },
    { header: "Porteur", type: "text", value: (row) => row.organisationName, width: 32 },
    { header: "Région", type: "text", value: (row) => region(row.regionCode) },
    { header: "Vague", type: "text", value: (row) => row.waveTitle },
    { header: "Décision", type: "text", value: (row) => DECISION_LABELS[row.outcome] },
    { header: "Montant attribué (€)", type: "euros", value: (row) => row.awardedCents },
    { header: "Bus", type: "integer", value: (row) => (row.outcome === "selected" ? row.buses : null) },
    { header: "Rang en liste complémentaire", type: "integer", value: (row) => row.waitlistRank },
    { header: "Motivation", type: "text", value: (row) => row.motivation, width: 40 },
    { header: "Décidé par", type: "text", value: (row) => row.deciderName },
    { header: "Rouverte le", type: "datetime", value: (row) => row.reopenedAt },
    { header: "Rouverte par", type: "text", value: (row) => row.reopenerName },
    { header: "Motif de réouverture", type: "text", value: (row) => row.reopenMotivation, width: 40 },
  ];
  return {
    title: "Décisions",
    fileStem: "decisions",
    columns,
    async count() {
      const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(decisions);
      return row.count;
    },
    batches: () =>
      keysetBatches(
        (after: { at: Date; id: string } | null, limit) =>
          base()
            .where(after === null ? undefined : or(gt(decisions.decidedAt, after.at), and(eq(decisions.decidedAt, after.at), gt(decisions.id, after.id))))
            .orderBy(asc(decisions.decidedAt), asc(decisions.id))
            .limit(limit),
        (row) => ({ at: row.decidedAt, id: row.id }),
      ),
  } satisfies ExportList<Row>;
}

// ——— Ledger ———

const counterpart = alias(waves, "counterpart");

/** The budget ledger as written, entry by entry (the amounts are positive; the nature gives the sign). */
export function ledgerExport(actor: SessionUser) {
  assertProgramManager(actor);
  const base = () =>
    db
      .select({
        id: ledgerEntries.id,
        createdAt: ledgerEntries.createdAt,
        waveTitle: waves.title,
        kind: ledgerEntries.kind,
        tranche: ledgerEntries.tranche,
        reference: applications.reference,
        regionCode: ledgerEntries.regionCode,
        amountCents: ledgerEntries.amountCents,
        buses: ledgerEntries.buses,
        counterpartTitle: counterpart.title,
        actorName: users.name,
        motivation: ledgerEntries.motivation,
      })
      .from(ledgerEntries)
      .innerJoin(waves, eq(waves.id, ledgerEntries.waveId))
      .leftJoin(applications, eq(applications.id, ledgerEntries.applicationId))
      .leftJoin(counterpart, eq(counterpart.id, ledgerEntries.counterpartWaveId))
      .innerJoin(users, eq(users.id, ledgerEntries.actorId));
  type Row = Awaited<ReturnType<ReturnType<typeof base>["execute"]>>[number];
  const columns: ExportColumn<Row>[] = [
    { header: "N° d'écriture", type: "integer", value: (row) => row.id, width: 10 },
    { header: "Date", type: "datetime", value: (row) => row.createdAt },
    { header: "Vague", type: "text", value: (row) => row.waveTitle },
    { header: "Nature", type: "text", value: (row) => LEDGER_KIND_LABELS[row.kind] },
    { header: "Tranche", type: "text", value: (row) => (row.tranche ? TRANCHE_LABELS[row.tranche] : null) },
    { header: "Dossier", type: "text", value: (row) => row.reference, width: 18 },
    { header: "Région", type: "text", value: (row) => region(row.regionCode) },
    { header: "Montant (€)", type: "euros", value: (row) => row.amountCents },
    { header: "Bus", type: "integer", value: (row) => row.buses },
    { header: "Vague liée", type: "text", value: (row) => row.counterpartTitle },
    { header: "Auteur", type: "text", value: (row) => row.actorName },
    { header: "Motivation", type: "text", value: (row) => row.motivation, width: 40 },
  ];
  return {
    title: "Écritures budgétaires",
    fileStem: "ecritures-budgetaires",
    columns,
    async count() {
      const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(ledgerEntries);
      return row.count;
    },
    batches: () => keysetBatches((after: number | null, limit) => base().where(after === null ? undefined : gt(ledgerEntries.id, after)).orderBy(asc(ledgerEntries.id)).limit(limit), (row) => row.id),
  } satisfies ExportList<Row>;
}

// ——— Audit log ———

/** The audit log with the journal's filters, oldest first; the details as JSON and each row's hash, so the file can be checked. */
export async function auditExport(actor: SessionUser, filters: AuditFilters) {
  assertProgramManager(actor);
  const condition: SQL | undefined = await auditCondition(filters);
  const columns: ExportColumn<AuditEntryRow>[] = [
    { header: "N°", type: "integer", value: (row) => row.id, width: 10 },
    { header: "Date et heure (Paris)", type: "datetime", value: (row) => row.at },
    { header: "Auteur", type: "text", value: (row) => (row.actorName ? `${row.actorName} <${row.actorEmail}>` : row.actorId ? row.actorId : "Système"), width: 32 },
    { header: "Action", type: "text", value: (row) => auditActionLabel(row.action), width: 32 },
    { header: "Code de l'action", type: "text", value: (row) => row.action, width: 24 },
    { header: "Objet", type: "text", value: (row) => auditEntityLabel(row.entityType) },
    { header: "Identifiant de l'objet", type: "text", value: (row) => row.entityId, width: 36 },
    { header: "Détails", type: "text", value: (row) => canonicalJson(row.data), width: 60 },
    { header: "Empreinte", type: "text", value: (row) => row.hash, width: 64 },
  ];
  return {
    title: "Journal d'audit",
    fileStem: "journal-audit",
    columns,
    async count() {
      const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(auditLog).where(condition);
      return row.count;
    },
    batches: () => keysetBatches((after: number | null, limit) => auditEntriesAfter(condition, after, limit), (row) => row.id),
  } satisfies ExportList<AuditEntryRow>;
}

/** The programme lists that /programme/exports/:liste serves, by their URL name. */
export const PROGRAMME_LISTS = {
  decisions: { title: "Décisions", description: "Toutes les décisions prises, y compris celles rouvertes, avec leurs motivations." },
  ecritures: { title: "Écritures budgétaires", description: "Le registre des engagements, libérations, paiements et reports, écriture par écriture." },
  journal: { title: "Journal d'audit", description: "Toutes les lignes du journal d'audit, avec leur empreinte." },
  classement: { title: "Classement d'une vague", description: "Le classement et la simulation de la ligne de coupure, dérogations comprises." },
} as const;
export type ProgrammeListName = keyof typeof PROGRAMME_LISTS;

export function isProgrammeList(name: string): name is ProgrammeListName {
  return Object.hasOwn(PROGRAMME_LISTS, name);
}
