import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SCDL_COLUMNS, scdlAmount, scdlProblems, scdlRow, type ScdlAward, type ScdlColumn, type ScdlRow } from "./scdl";

const award: ScdlAward = {
  attribuant: { name: "Agence nationale de la cohésion des territoires", siret: "130 026 032 00016" },
  conventionDate: new Date("2026-03-31T22:30:00Z"), // 1 April in Paris
  decisionReference: "MB-2026-7KQ2ZD",
  beneficiary: { name: "CPTS du Perche ornais", siret: "73282932000074" },
  objet: "Médicobus du Perche : cabinet médical itinérant pour sept communes",
  awardedCents: 4_780_020,
  conditionsVersement: "échelonné",
  paymentPeriod: { from: new Date("2026-04-15T10:00:00Z"), to: new Date("2028-12-31T10:00:00Z") },
  notificationUE: false,
};

describe("SCDL subventions row", () => {
  it("writes the 16 columns of version 2.1.1, in order, with the schema's formats", () => {
    const row = scdlRow(award);
    expect(Object.keys(row)).toEqual([...SCDL_COLUMNS]);
    expect(row).toEqual({
      nomAttribuant: "Agence nationale de la cohésion des territoires",
      idAttribuant: "13002603200016",
      dateConvention: "2026-04-01",
      referenceDecision: "MB-2026-7KQ2ZD",
      nomBeneficiaire: "CPTS du Perche ornais",
      idBeneficiaire: "73282932000074",
      rnaBeneficiaire: "",
      objet: "Médicobus du Perche : cabinet médical itinérant pour sept communes",
      montant: "47800.20",
      nature: "aide en numéraire",
      conditionsVersement: "échelonné",
      datesPeriodeVersement: "2026-04-15/2028-12-31",
      idRAE: "",
      notificationUE: "non",
      pourcentageSubvention: "1.00",
      dispositifAide: "",
    });
    expect(scdlProblems(row)).toEqual([]);
  });

  it("writes amounts with a point and two decimals, cuts the objet at 256 characters, and a single day as one date", () => {
    expect([scdlAmount(80_000_00), scdlAmount(5), scdlAmount(1_234_567_89)]).toEqual(["80000.00", "0.05", "1234567.89"]);
    const row = scdlRow({ ...award, objet: "é".repeat(300), conditionsVersement: "unique", paymentPeriod: { from: new Date("2026-05-02T08:00:00Z"), to: new Date("2026-05-02T15:00:00Z") }, notificationUE: true });
    expect([...row.objet]).toHaveLength(256);
    expect(row.objet.endsWith("…")).toBe(true);
    expect(row.datesPeriodeVersement).toBe("2026-05-02");
    expect(row.notificationUE).toBe("oui");
    expect(scdlProblems(row)).toEqual([]);
  });

  it("accepts an association identified by its RNA number instead of a SIRET", () => {
    const row = scdlRow({ ...award, beneficiary: { name: "Association Santé Perche", siret: null, rna: "W612003456" } });
    expect(scdlProblems(row)).toEqual([]);
    expect(scdlProblems({ ...row, rnaBeneficiaire: "" }).map((problem) => problem.column)).toEqual(["idBeneficiaire"]);
  });

  // Each field rule of the reference (docs: SCDL-subventions.md), broken alone.
  const broken: Array<[ScdlColumn, string]> = [
    ["nomAttribuant", ""],
    ["idAttribuant", "1300260320001"],
    ["idAttribuant", "13002603200017"],
    ["dateConvention", "01/04/2026"],
    ["dateConvention", "2026-02-30"],
    ["nomBeneficiaire", "  "],
    ["idBeneficiaire", "7328293200007A"],
    ["idBeneficiaire", "73282932000075"],
    ["rnaBeneficiaire", "W12345"],
    ["objet", ""],
    ["objet", "x".repeat(257)],
    ["montant", "47800,20"],
    ["montant", "-10.00"],
    ["montant", "0"],
    ["nature", "subvention"],
    ["conditionsVersement", ""],
    ["conditionsVersement", "y".repeat(257)],
    ["datesPeriodeVersement", "2026-04-15/"],
    ["datesPeriodeVersement", "2028-12-31/2026-04-15"],
    ["datesPeriodeVersement", "2026-04-15/2027-01-01/2028-01-01"],
    ["idRAE", "123456"],
    ["notificationUE", "false"],
    ["pourcentageSubvention", "0"],
    ["pourcentageSubvention", "1.5"],
    ["pourcentageSubvention", "100%"],
  ];
  it.each(broken)("refuses %s = %j, and only that column", (column, value) => {
    const row: ScdlRow = { ...scdlRow(award), [column]: value };
    const problems = scdlProblems(row);
    expect(problems.map((problem) => problem.column)).toEqual([column]);
    expect(problems[0].message.length).toBeGreaterThan(10);
  });

  it("accepts the other documented values: free payment conditions, both nature orders, an idRAE, a share below 1", () => {
    const row = scdlRow(award);
    for (const patch of [{ conditionsVersement: "autre" }, { conditionsVersement: "À la signature puis sur justificatifs" }, { nature: "aide en nature;aide en numéraire" }, { idRAE: "12345" }, { pourcentageSubvention: "0.01" }, { dispositifAide: "medicobus-2024" }]) {
      expect(scdlProblems({ ...row, ...patch })).toEqual([]);
    }
  });

  it("builds publishable rows from any award the programme can make", () => {
    fc.assert(
      fc.property(
        fc.record({
          awardedCents: fc.integer({ min: 1, max: 100_000_000_00 }),
          objet: fc.string({ minLength: 1, maxLength: 400 }).filter((text) => text.trim() !== ""),
          name: fc.string({ minLength: 1, maxLength: 80 }).filter((text) => text.trim() !== ""),
          from: fc.date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }),
          days: fc.option(fc.integer({ min: 0, max: 1_500 })),
          share: fc.integer({ min: 1, max: 100 }),
          conditions: fc.constantFrom("unique" as const, "échelonné" as const),
          notificationUE: fc.boolean(),
        }),
        (input) => {
          const row = scdlRow({
            ...award,
            awardedCents: input.awardedCents,
            objet: input.objet,
            beneficiary: { name: input.name, siret: "73282932000074" },
            paymentPeriod: { from: input.from, to: input.days === null ? null : new Date(input.from.getTime() + input.days * 86_400_000) },
            beneficiaryShare: input.share / 100,
            conditionsVersement: input.conditions,
            notificationUE: input.notificationUE,
          });
          expect(scdlProblems(row)).toEqual([]);
          expect(Math.round(Number(row.montant) * 100)).toBe(input.awardedCents);
        },
      ),
      { numRuns: 300 },
    );
  });
});
