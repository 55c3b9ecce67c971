import { parisWallClock, type CellValue, type ColumnType, type ExportColumn } from "./columns";

/**
 * CSV for Excel in French: what a programme officer double-clicks must open with accents, one
 * value per column and numbers that add up, without going through the import wizard.
 *
 * - UTF-8 with a byte order mark: without it Excel reads the file as Windows-1252 (« Ã© »).
 * - `;` between values: Excel FR splits on the list separator of the locale, which is `;`
 *   because the comma is the decimal separator.
 * - CRLF line ends (RFC 4180); a value with `;`, `"`, CR or LF is quoted, quotes doubled.
 * - Numbers with a decimal comma and NO thousands separator (« 1234,56 »): the fr-FR locale's
 *   grouping character is a no-break space (U+00A0) on older Windows and a narrow no-break space
 *   (U+202F) on recent ones, and a cell grouped with the other one — or with an ordinary space —
 *   stays text in Excel, so sums fail. Without grouping every French Excel and LibreOffice reads
 *   a number.
 * - Dates as « 31/03/2026 » (« 31/03/2026 14:05:09 »), the order Excel FR reads as a date.
 * - Text starting with = + - @, a tab or a CR is prefixed with an apostrophe: Excel would
 *   otherwise run it as a formula (CSV injection; OWASP's advice). Numbers are written by us and
 *   are never neutralised.
 */

export const CSV_BOM = "\uFEFF";
export const CSV_SEPARATOR = ";";
export const CSV_LINE_END = "\r\n";

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[";\r\n]/;

/** Integer cents as « 1234,56 » (integer arithmetic: no floating-point rounding). */
export function frenchEuros(cents: number) {
  const sign = cents < 0 ? "-" : "";
  const absolute = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(absolute / 100)},${String(absolute % 100).padStart(2, "0")}`;
}

const pad = (value: number, length = 2) => String(value).padStart(length, "0");

function frenchDate(value: Date | string, withTime: boolean) {
  if (typeof value === "string") {
    const [year, month, day] = value.slice(0, 10).split("-");
    return `${day}/${month}/${year}`;
  }
  const clock = parisWallClock(value);
  const day = `${pad(clock.day)}/${pad(clock.month)}/${pad(clock.year, 4)}`;
  return withTime ? `${day} ${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}` : day;
}

/** One value as the text of its CSV cell, before quoting. */
export function csvText(value: CellValue, type: ColumnType): string {
  if (value === null || value === undefined || value === "") return "";
  switch (type) {
    case "integer":
      return String(Math.round(Number(value)));
    case "euros":
      return frenchEuros(Number(value));
    case "score":
      return frenchEuros(Number(value));
    case "date":
    case "datetime":
      return frenchDate(value instanceof Date || typeof value === "string" ? value : new Date(value), type === "datetime");
    case "text": {
      const text = value instanceof Date ? value.toISOString() : String(value);
      return FORMULA_START.test(text) ? `'${text}` : text;
    }
  }
}

/** A cell as written in the file: quoted when the separator, a quote or a line break is in it. */
export function csvCell(text: string, separator = CSV_SEPARATOR) {
  return NEEDS_QUOTES.test(text) || text.includes(separator) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(texts: readonly string[], separator = CSV_SEPARATOR) {
  return texts.map((text) => csvCell(text, separator)).join(separator) + CSV_LINE_END;
}

export function csvHeader<Row>(columns: readonly ExportColumn<Row>[]) {
  return csvLine(columns.map((column) => column.header));
}

export function csvRow<Row>(columns: readonly ExportColumn<Row>[], row: Row) {
  return csvLine(columns.map((column) => csvText(column.value(row), column.type)));
}
