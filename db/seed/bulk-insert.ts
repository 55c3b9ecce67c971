import { getTableColumns, getTableName, is, sql, SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "~db/client.server";

/*
 * Inserts many rows in one statement whatever their number: each column travels as one text
 * array parameter and the server unnests them (`insert … select … from unnest($1::text[], …)`).
 * A multi-row VALUES insert of drizzle costs a bind parameter per value (at most 65,535 per
 * statement) and most of the seed's time in building them; this costs one parameter per column,
 * works the same on PostgreSQL and PGlite, and keeps column defaults for the columns no row sets.
 */

/** A value as PostgreSQL reads it from text: the column's cast does the rest. */
function asText(column: PgColumn, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (column.columnType === "PgJsonb" || column.columnType === "PgJson") return JSON.stringify(value);
  if (Array.isArray(value)) return `{${value.map((item) => (item === null ? "NULL" : `"${String(item).replace(/(["\\])/g, "\\$1")}"`)).join(",")}}`;
  return String(value);
}

/** The value of a column a row leaves out: the column's default when it is a plain value. */
function defaultOf(column: PgColumn, tableName: string): unknown {
  if (column.defaultFn) return column.defaultFn();
  if (column.default === undefined || !column.hasDefault) return null;
  if (is(column.default, SQL)) throw new Error(`${tableName}.${column.name}: set it on every row or on none (its default is SQL)`);
  return column.default;
}

export async function bulkInsert<T extends PgTable>(executor: Executor, table: T, rows: ReadonlyArray<T["$inferInsert"]>) {
  if (rows.length === 0) return;
  const tableName = getTableName(table);
  const used = Object.entries(getTableColumns(table) as Record<string, PgColumn>).filter(([key]) => rows.some((row) => (row as Record<string, unknown>)[key] !== undefined));
  const names = used.map(([, column]) => sql.identifier(column.name));
  const casts = used.map(([, column]) => sql`${sql.identifier(column.name)}::${sql.raw(column.getSQLType())}`);
  const arrays = used.map(([key, column]) => {
    const values = rows.map((row) => {
      const value = (row as Record<string, unknown>)[key];
      return asText(column, value === undefined ? defaultOf(column, tableName) : value);
    });
    return sql`${sql.param(values)}::text[]`;
  });
  await executor.execute(sql`insert into ${table} (${sql.join(names, sql`, `)}) select ${sql.join(casts, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) as u(${sql.join(names, sql`, `)})`);
}
