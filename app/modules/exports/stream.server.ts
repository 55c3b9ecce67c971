import { once } from "node:events";
import { PassThrough, Readable, type Writable } from "node:stream";
import type ExcelJS from "exceljs";
import { contentDisposition } from "~/modules/files/download.server";
import { parisWallClock, EXPORT_CONTENT_TYPES, type CellValue, type ColumnType, type ExportColumn, type ExportFormat } from "./columns";
import { CSV_BOM, csvHeader, csvRow } from "./csv";

/**
 * One way to export any list: a definition (title, file name, columns) and a row source read in
 * batches, written as a web ReadableStream of CSV or XLSX. Nothing holds more than one batch of
 * rows: the CSV is produced on demand by the stream's pull(), and the XLSX by exceljs's streaming
 * WorkbookWriter, which writes each committed row to the zip and forgets it (ADR 008). Memory is
 * flat with the number of rows (docs/benchmarks.md, « Exports »).
 */

/** Rows per query: large enough to keep the round trips few, small enough to stay flat in memory. */
export const EXPORT_BATCH_SIZE = 1000;

export interface ExportList<Row> {
  /** What the list is, in French (the sheet's and the page's title). */
  title: string;
  /** The file name without date nor extension, in French (« dossiers », « journal-audit »). */
  fileStem: string;
  columns: readonly ExportColumn<Row>[];
  /** How many rows the export will hold: counted first, sent as X-Total-Rows for the progress bar. */
  count(): Promise<number>;
  /** The rows in batches, in the order of the file. */
  batches(): AsyncIterable<Row[]>;
}

/**
 * Batches read by keyset pagination: each query asks for the rows after the last key seen, in
 * key order (`where key > $last order by key limit n`). Unlike OFFSET, each batch costs the same
 * whatever its position, and a row inserted meanwhile shifts nothing. The key must be unique.
 */
export async function* keysetBatches<Row, Key>(fetch: (after: Key | null, limit: number) => Promise<Row[]>, keyOf: (row: Row) => Key, size = EXPORT_BATCH_SIZE): AsyncGenerator<Row[]> {
  let after: Key | null = null;
  for (;;) {
    const rows = await fetch(after, size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = keyOf(rows[rows.length - 1]);
  }
}

/** Batches of a list already in memory (a wave's ranking is computed whole by the simulator). */
export async function* arrayBatches<Row>(rows: readonly Row[], size = EXPORT_BATCH_SIZE): AsyncGenerator<Row[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

/** « dossiers-2026-03-31.csv »: the list's name and the day of the export in Paris. */
export function exportFileName(stem: string, format: ExportFormat, now = new Date()) {
  const clock = parisWallClock(now);
  const day = `${clock.year}-${String(clock.month).padStart(2, "0")}-${String(clock.day).padStart(2, "0")}`;
  return `${stem}-${day}.${format}`;
}

export function csvStream<Row>(list: Pick<ExportList<Row>, "columns" | "batches">): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<Row[]> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(CSV_BOM + csvHeader(list.columns)));
    },
    // Called when the reader wants more: one batch per call, so a slow client slows the queries.
    async pull(controller) {
      iterator ??= list.batches()[Symbol.asyncIterator]();
      const next = await iterator.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map((row) => csvRow(list.columns, row)).join("")));
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}

const NUMBER_FORMATS: Record<ColumnType, string | undefined> = {
  text: undefined,
  integer: "#,##0",
  euros: '#,##0.00 "€"',
  score: "0.00",
  date: "dd/mm/yyyy",
  datetime: "dd/mm/yyyy hh:mm:ss",
};
const XLSX_CELL_MAX = 32_767;
const DEFAULT_WIDTHS: Record<ColumnType, number> = { text: 24, integer: 12, euros: 16, score: 10, date: 12, datetime: 20 };

/**
 * A cell as exceljs stores it: numbers as numbers (euros and scores divided by 100), dates as
 * dates. Excel has no time zones: a date cell shows its UTC fields, so an instant is given as
 * the UTC date whose fields are the Paris wall clock.
 */
export function xlsxValue(value: CellValue, type: ColumnType): string | number | Date | null {
  if (value === null || value === undefined || value === "") return null;
  switch (type) {
    case "integer":
      return Math.round(Number(value));
    case "euros":
    case "score":
      return Number(value) / 100;
    case "date":
    case "datetime": {
      if (typeof value === "string") return new Date(`${value.slice(0, 10)}T00:00:00Z`);
      const clock = parisWallClock(value instanceof Date ? value : new Date(value));
      return type === "date"
        ? new Date(Date.UTC(clock.year, clock.month - 1, clock.day))
        : new Date(Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second));
    }
    case "text": {
      // Excel refuses to open (« repairs ») a file with a cell over 32,767 characters.
      const text = value instanceof Date ? value.toISOString() : String(value);
      return text.length > XLSX_CELL_MAX ? `${text.slice(0, XLSX_CELL_MAX - 1)}…` : text;
    }
  }
}

/**
 * The stream the sheet's XML is written into on its way to the compressor. exceljs 4.4 writes each
 * committed row into its own buffer (StreamBuf) that pushes to this PassThrough without waiting
 * (archiver's wrapper of the entry): deflate is slower than the rows arrive, so without waiting
 * here the whole uncompressed sheet piles up in memory. Reached through exceljs's internals
 * (`worksheet.stream.pipes`), hence the optional chaining: if a new version changes them, the
 * export still works, only without this wait (the export benchmark would show it).
 */
function sheetSink(sheet: ExcelJS.Worksheet): Writable | undefined {
  return (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
}

/**
 * Whether a writable asked its writer to wait. archiver's PassThrough comes from the
 * `readable-stream` 3 package, which has no `writableNeedDrain` (Node's own streams do): reading
 * only that property, the export never waited for the compressor and held the whole
 * uncompressed sheet (+130 MB for 100,000 rows) until deflate caught up.
 */
function needsDrain(stream: Writable) {
  return stream.writableNeedDrain ?? (stream as unknown as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain ?? false;
}

/** Bytes waiting in the output before the writer waits for the reader: keeps a slow client from filling memory. */
const XLSX_BUFFER_LIMIT = 1 << 20;

export function xlsxStream<Row>(list: Pick<ExportList<Row>, "title" | "columns" | "batches">): ReadableStream<Uint8Array> {
  const output = new PassThrough({ highWaterMark: XLSX_BUFFER_LIMIT });

  const write = async () => {
    // exceljs is loaded by the first XLSX export, not by the server nor by a CSV export; and only
    // its streaming writer (16 MB once loaded), not the whole package (27 MB: the readers, unzipper,
    // jszip, its CSV module), which is all the package's main file offers.
    const { default: WorkbookWriter } = await import("exceljs/lib/stream/xlsx/workbook-writer.js");
    const workbook = new WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    workbook.creator = "Portail Médicobus";
    // Excel refuses sheet names over 31 characters and with some punctuation.
    const sheet = workbook.addWorksheet(list.title.replace(/[\\/?*[\]:]/g, " ").slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = list.columns.map((column, index) => ({
      key: String(index),
      header: column.header,
      width: column.width ?? Math.max(DEFAULT_WIDTHS[column.type], Math.min(40, column.header.length + 2)),
      style: NUMBER_FORMATS[column.type] ? { numFmt: NUMBER_FORMATS[column.type] } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    // One style object per column, given to every cell of it. exceljs gives each new cell a style
    // object of its own, and its style registry, which recognises a style by object identity,
    // then renders each cell's style to XML to find its number: 1.7 million renders for 100,000
    // rows, about half of the XLSX's time (docs/benchmarks.md, « Exports »).
    const cellStyles: Partial<ExcelJS.Style>[] = list.columns.map((column) => (NUMBER_FORMATS[column.type] ? { numFmt: NUMBER_FORMATS[column.type] } : {}));
    for await (const batch of list.batches()) {
      for (const row of batch) {
        const added = sheet.addRow(list.columns.map((column) => xlsxValue(column.value(row), column.type)));
        for (let index = 0; index < cellStyles.length; index++) added.getCell(index + 1).style = cellStyles[index];
        added.commit();
        // Two places fill up when the next stage is slower than the rows come: the sheet's XML
        // waiting for the compressor, and the zip waiting for the reader. Wait for both to drain,
        // row by row (a check costs nothing; a batch's worth of XML is half a megabyte).
        const compressorInput = sheetSink(sheet);
        if (compressorInput && needsDrain(compressorInput)) await once(compressorInput, "drain");
        if (output.writableNeedDrain) await once(output, "drain");
      }
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(output) as ReadableStream<Uint8Array>;
}

export function exportStream<Row>(list: ExportList<Row>, format: ExportFormat) {
  return format === "csv" ? csvStream(list) : xlsxStream(list);
}

/** The file as a download: counted first, so the page can show progress against X-Total-Rows. */
export async function exportResponse<Row>(list: ExportList<Row>, format: ExportFormat, now = new Date()) {
  const total = await list.count();
  return new Response(exportStream(list, format), {
    headers: {
      "Content-Type": EXPORT_CONTENT_TYPES[format],
      "Content-Disposition": contentDisposition("attachment", exportFileName(list.fileStem, format, now)),
      "X-Total-Rows": String(total),
      "Cache-Control": "private, no-store",
    },
  });
}
