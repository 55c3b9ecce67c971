import { describe, expect, it } from "vitest";
import { exportFileName, xlsxValue } from "./stream.server";

describe("XLSX cells and file names", () => {
  it("stores euros and scores as numbers, dates as the Paris wall clock, long text cut to Excel's limit", () => {
    expect(xlsxValue(123_456, "euros")).toBe(1234.56);
    expect(xlsxValue(7_333, "score")).toBe(73.33);
    expect(xlsxValue(12.4, "integer")).toBe(12);
    expect(xlsxValue(new Date("2026-03-31T22:30:00Z"), "date")).toEqual(new Date("2026-04-01T00:00:00Z"));
    expect(xlsxValue(new Date("2026-07-15T11:05:09Z"), "datetime")).toEqual(new Date("2026-07-15T13:05:09Z"));
    expect(xlsxValue(null, "euros")).toBeNull();
    const long = xlsxValue("x".repeat(40_000), "text") as string;
    expect(long).toHaveLength(32_767);
    expect(long.endsWith("…")).toBe(true);
  });

  it("names the file after the list and the day in Paris", () => {
    expect(exportFileName("dossiers-medicobus", "csv", new Date("2026-03-31T22:30:00Z"))).toBe("dossiers-medicobus-2026-04-01.csv");
  });
});
