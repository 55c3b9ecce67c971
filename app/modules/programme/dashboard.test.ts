import { describe, expect, it } from "vitest";
import { DEFAULT_PARAMS, readDashboardParams, SCORE_BIN_COUNT, scoreBinLabel, scoreBinOf, scoreHistogram } from "./dashboard";

describe("score bins of 10 points", () => {
  it("puts each score (hundredths of a point) in its bin; 100 joins the last one", () => {
    expect([0, 9_99, 10_00, 49_99, 50_00, 89_99, 90_00, 100_00].map(scoreBinOf)).toEqual([0, 0, 1, 4, 5, 8, 9, 9]);
  });

  it("labels the bins in French, the last one closed", () => {
    expect(scoreBinLabel(0)).toBe("0 à moins de 10");
    expect(scoreBinLabel(SCORE_BIN_COUNT - 1)).toBe("90 à 100");
  });

  it("fills every bin from the database's sparse rows", () => {
    expect(scoreHistogram([{ bin: 7, dossiers: 3 }, { bin: 2, dossiers: 1 }, { bin: 7, dossiers: 2 }])).toEqual([0, 0, 1, 0, 0, 0, 0, 5, 0, 0]);
    expect(scoreHistogram([])).toHaveLength(SCORE_BIN_COUNT);
  });
});

describe("the dashboard's GET parameters", () => {
  const read = (query: string) => readDashboardParams(new URLSearchParams(query), [1, 2]);

  it("defaults: dossiers on the map, every wave", () => {
    expect(read("")).toEqual({ params: DEFAULT_PARAMS, errors: {} });
    expect(read("carte=&vague=toutes")).toEqual({ params: DEFAULT_PARAMS, errors: {} });
  });

  it("reads a measure and a wave of the call", () => {
    expect(read("carte=population&vague=2")).toEqual({ params: { carte: "population", vague: 2 }, errors: {} });
    expect(read("carte=medicobus&vague=1").params).toEqual({ carte: "medicobus", vague: 1 });
  });

  it("refuses an unknown measure or wave with a French message by field, and keeps the defaults", () => {
    const { params, errors } = read("carte=euros&vague=3");
    expect(params).toEqual(DEFAULT_PARAMS);
    expect(errors.carte).toBe("Choisissez une mesure de la liste : dossiers déposés, médicobus financés, population couverte.");
    expect(errors.vague).toBe("Choisissez une vague de l'appel (1, 2) ou toutes les vagues.");
    expect(read("vague=1.5").errors.vague).toBeDefined();
    expect(read("vague=-1").errors.vague).toBeDefined();
  });
});
