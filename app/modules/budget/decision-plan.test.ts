import { describe, expect, it } from "vitest";
import type { ApplicationStatus } from "~db/schema";
import { decisionLines, planDecision, planFingerprint } from "./decision-plan";
import type { SimulationOutcome, SimulationRow } from "./simulation";

function row(rank: number, outcome: SimulationOutcome, awardedCents = 100_000_00, reason: string | null = null): SimulationRow {
  return { rank, id: `d${rank}`, reference: `MB-2026-00000${rank}`, outcome, awardedCents, cumulativeCents: 0, override: null, reason };
}

const dossiers = (statuses: ApplicationStatus[]) => statuses.map((status, index) => ({ id: `d${index + 1}`, reference: `MB-2026-00000${index + 1}`, organisationName: `Porteur ${index + 1}`, status }));

describe("planDecision", () => {
  it("selects the funded and the included, waitlists the rest below the cut in ranking order, rejects the excluded and those under a threshold", () => {
    const rows = [row(1, "funded", 90_000_00), row(2, "excluded"), row(3, "funded", 110_000_00), row(4, "below_cut"), row(5, "below_threshold", 50_000_00, "Note ANCT 39,00 sous le seuil de 40,00."), row(6, "below_cut"), row(7, "included", 70_000_00)];
    const plan = planDecision({ rows }, dossiers(["reviewed", "reviewed", "reviewed", "reviewed", "reviewed", "reviewed", "reviewed"]), { lastWaitlistRank: 0 });
    expect(plan.selected.map((dossier) => [dossier.rank, dossier.awardedCents])).toEqual([
      [1, 90_000_00],
      [3, 110_000_00],
      [7, 70_000_00],
    ]);
    expect(plan.selectedCents).toBe(270_000_00);
    expect(plan.waitlisted.map((dossier) => [dossier.rank, dossier.waitlistRank])).toEqual([
      [4, 1],
      [6, 2],
    ]);
    expect(plan.rejected.map((dossier) => [dossier.rank, dossier.reason])).toEqual([
      [2, null],
      [5, "Note ANCT 39,00 sous le seuil de 40,00."],
    ]);
    expect(plan.toFix).toEqual([]);
  });

  it("keeps a dossier already on the reserve list with its rank and ranks newcomers after the last rank given", () => {
    const plan = planDecision({ rows: [row(1, "funded"), row(2, "below_cut"), row(3, "below_cut")] }, dossiers(["waitlisted", "waitlisted", "reviewed"]), { lastWaitlistRank: 4 });
    expect(plan.selected.map((dossier) => dossier.reference)).toEqual(["MB-2026-000001"]);
    expect(plan.kept.map((dossier) => dossier.reference)).toEqual(["MB-2026-000002"]);
    expect(plan.waitlisted.map((dossier) => [dossier.reference, dossier.waitlistRank])).toEqual([["MB-2026-000003", 5]]);
  });

  it("lists the amounts to fix apart: they block the decision", () => {
    const plan = planDecision({ rows: [row(1, "amount_to_fix", 10_00, "Le montant attribué représente 0 % du coût total.")] }, dossiers(["reviewed"]), { lastWaitlistRank: 0 });
    expect(plan.toFix.map((dossier) => dossier.reference)).toEqual(["MB-2026-000001"]);
    expect(decisionLines(plan, { common: "x", byReference: {} })).toEqual([]);
  });
});

describe("decisionLines", () => {
  it("gives each refusal its own motivation when written, the common one otherwise", () => {
    const plan = planDecision({ rows: [row(1, "funded", 95_000_00), row(2, "below_cut"), row(3, "excluded"), row(4, "below_threshold")] }, dossiers(["reviewed", "reviewed", "reviewed", "reviewed"]), { lastWaitlistRank: 0 });
    expect(decisionLines(plan, { common: " Enveloppe de la vague épuisée. ", byReference: { "MB-2026-000004": "Note ANCT sous le seuil.", "MB-2026-000003": "  " } })).toEqual([
      { reference: "MB-2026-000001", outcome: "selected", awardedCents: 95_000_00, motivation: null },
      { reference: "MB-2026-000002", outcome: "waitlisted", waitlistRank: 1, motivation: null },
      { reference: "MB-2026-000003", outcome: "rejected", motivation: "Enveloppe de la vague épuisée." },
      { reference: "MB-2026-000004", outcome: "rejected", motivation: "Note ANCT sous le seuil." },
    ]);
  });
});

describe("planFingerprint", () => {
  it("changes when an amount, a rank or an outcome changes, and only then", () => {
    const base = [row(1, "funded", 90_000_00), row(2, "below_cut"), row(3, "excluded")];
    const statuses = dossiers(["reviewed", "reviewed", "reviewed"]);
    const fingerprint = (rows: SimulationRow[], last = 0) => planFingerprint(planDecision({ rows }, statuses, { lastWaitlistRank: last }));
    expect(fingerprint(base)).toBe(fingerprint([...base]));
    expect(fingerprint([row(1, "funded", 90_000_01), row(2, "below_cut"), row(3, "excluded")])).not.toBe(fingerprint(base));
    expect(fingerprint(base, 1)).not.toBe(fingerprint(base));
    expect(fingerprint([row(1, "funded", 90_000_00), row(2, "below_cut"), row(3, "below_threshold")])).toBe(fingerprint(base));
    expect(fingerprint([row(1, "funded", 90_000_00), row(2, "funded"), row(3, "excluded")])).not.toBe(fingerprint(base));
  });
});
