/**
 * What an export is made of, whatever its format: columns that say how to read a row and what
 * kind of value they hold, so that the CSV writes « 1234,56 » and the XLSX a number with a
 * euro format from the same definition. Pure: shared by the writers, the routes and the tests.
 */

/**
 * - `text`: written as is (neutralised against formulas in CSV);
 * - `integer`: a count (buses, inhabitants, rank);
 * - `euros`: integer cents, written as euros with two decimals;
 * - `score`: hundredths of a point (7 333 = 73,33 / 100), as the scores are stored;
 * - `date`: the calendar day in Paris; `datetime`: the Paris wall clock to the second.
 */
export const COLUMN_TYPES = ["text", "integer", "euros", "score", "date", "datetime"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export type CellValue = string | number | Date | null | undefined;

export interface ExportColumn<Row> {
  header: string;
  type: ColumnType;
  value: (row: Row) => CellValue;
  /** Width in the XLSX sheet, in characters; a default per type otherwise. */
  width?: number;
}

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const TIME_ZONE = "Europe/Paris";
const wallClock = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** The Paris wall clock of an instant, as numbers (the offset changes with daylight saving time). */
export function parisWallClock(instant: Date) {
  const parts: Record<string, number> = {};
  for (const part of wallClock.formatToParts(instant)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The format asked in a query string; anything else is a 400 in French. */
export function readExportFormat(value: string | null): ExportFormat {
  if (value === "csv" || value === "xlsx") return value;
  throw new Response("Format d'export inconnu : choisissez csv ou xlsx.", { status: 400 });
}
