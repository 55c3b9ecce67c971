import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExportColumn } from "./columns";
import { CsvReader, parseCsv } from "../../../tests/fixtures/csv";
import { CSV_BOM, csvHeader, csvLine, csvRow, csvText, frenchEuros } from "./csv";

describe("CSV for Excel in French", () => {
  it("writes euros with a decimal comma and no grouping, whatever the size or sign", () => {
    expect([frenchEuros(0), frenchEuros(5), frenchEuros(123_456), frenchEuros(1_000_000_00), frenchEuros(-1_50)]).toEqual(["0,00", "0,05", "1234,56", "1000000,00", "-1,50"]);
    expect(csvText(7_333, "score")).toBe("73,33");
    expect(csvText(12_000, "integer")).toBe("12000");
  });

  it("writes dates as the Paris calendar day and time, across daylight saving time", () => {
    expect(csvText(new Date("2026-03-31T22:30:00Z"), "date")).toBe("01/04/2026");
    expect(csvText(new Date("2026-01-15T11:05:09Z"), "datetime")).toBe("15/01/2026 12:05:09");
    expect(csvText(new Date("2026-07-15T11:05:09Z"), "datetime")).toBe("15/07/2026 13:05:09");
    expect(csvText("2026-04-01", "date")).toBe("01/04/2026");
  });

  it("leaves missing values empty", () => {
    for (const type of ["text", "integer", "euros", "score", "date", "datetime"] as const) expect(csvText(null, type)).toBe("");
  });

  it("neutralises text that a spreadsheet would run as a formula, never numbers", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(csvText(`${start}HYPERLINK("http://x")`, "text")).toBe(`'${start}HYPERLINK("http://x")`);
    expect(csvText("Médicobus = santé", "text")).toBe("Médicobus = santé");
    expect(csvText(-1_50, "euros")).toBe("-1,50");
  });

  it("quotes values holding the separator, a quote or a line break, doubling the quotes, and ends lines with CRLF", () => {
    expect(csvLine(["a", "b;c", 'il a dit "oui"', "deux\nlignes", ""])).toBe('a;"b;c";"il a dit ""oui""";"deux\nlignes";\r\n');
  });

  it("starts the file with the byte order mark Excel needs to read UTF-8", () => {
    expect(CSV_BOM).toBe("\uFEFF");
    expect(new TextEncoder().encode(CSV_BOM)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it("parses back to the same cells, for any text, amount and count", () => {
    type Row = { text: string; cents: number; count: number };
    const columns: ExportColumn<Row>[] = [
      { header: "Texte", type: "text", value: (row) => row.text },
      { header: "Montant (€)", type: "euros", value: (row) => row.cents },
      { header: "Nombre", type: "integer", value: (row) => row.count },
    ];
    fc.assert(
      fc.property(fc.array(fc.record({ text: fc.string({ unit: "grapheme" }), cents: fc.integer({ min: 0, max: 1e12 }), count: fc.nat() }), { maxLength: 30 }), (rows) => {
        const file = csvHeader(columns) + rows.map((row) => csvRow(columns, row)).join("");
        const parsed = parseCsv(file);
        expect(parsed[0]).toEqual(["Texte", "Montant (€)", "Nombre"]);
        expect(parsed.slice(1)).toEqual(
          rows.map((row) => [/^[=+\-@\t\r]/.test(row.text) ? `'${row.text}` : row.text, `${Math.floor(row.cents / 100)},${String(row.cents % 100).padStart(2, "0")}`, String(row.count)]),
        );
      }),
    );
  });

  it("reads back the same records whatever the chunks the file arrives in", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: "grapheme" }), { minLength: 1, maxLength: 4 }), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 6 }), (records, cuts) => {
        const file = records.map((record) => csvLine(record)).join("");
        const reader = new CsvReader();
        const positions = [...new Set(cuts.map((cut) => cut % (file.length + 1)))].sort((a, b) => a - b);
        const read: string[][] = [];
        let from = 0;
        for (const position of [...positions, file.length]) {
          read.push(...reader.push(file.slice(from, position)));
          from = position;
        }
        reader.end();
        expect(read).toEqual(records);
      }),
    );
  });
});
