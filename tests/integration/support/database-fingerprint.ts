import { sql } from "drizzle-orm";
import { db } from "~db/client.server";

/**
 * Did a request write a row? Each table of the public schema gets a trigger that counts, in a
 * table of the test database, the rows inserted, updated or deleted in it (and its truncations).
 * The counts move only with committed writes (a rolled-back transaction takes its counts back),
 * and an update that rewrites a row with the same values counts too: stricter than comparing
 * contents. Reading them is one query on a handful of rows, whatever the size of the database:
 * an md5 of every row before and after each request would cost more than the request itself.
 *
 * Left out, by design:
 * - tables named in `exclude`, each with the reason it may change on a refused request;
 * - the pg-boss schema: what a request asks to send is in `mails` and `letter_batches`, and the
 *   tests run no job worker that would write on its own.
 */
export type DatabaseFingerprint = Record<string, number>;

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const JOURNAL = "test_row_writes";
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function databaseFingerprinter(exclude: Record<string, string>) {
  await db.execute(sql.raw(`create table if not exists ${JOURNAL} (table_name text primary key, writes bigint not null)`));
  await db.execute(
    sql.raw(`create or replace function ${JOURNAL}_count() returns trigger language plpgsql as $$
      begin
        insert into ${JOURNAL} as journal (table_name, writes) values (TG_TABLE_NAME, 1)
        on conflict (table_name) do update set writes = journal.writes + 1;
        return null;
      end $$`),
  );
  const tables = rowsOf<{ name: string }>(
    await db.execute(sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by c.relname`),
  ).map((row) => row.name);
  const unknown = Object.keys(exclude).filter((name) => !tables.includes(name));
  if (unknown.length > 0) throw new Error(`Excluded tables that do not exist: ${unknown.join(", ")}`);
  const watched = tables.filter((name) => !(name in exclude) && name !== JOURNAL);
  const installed = new Set(
    rowsOf<{ name: string }>(await db.execute(sql`select c.relname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.tgname = ${`${JOURNAL}_rows`}`)).map((row) => row.name),
  );
  for (const name of watched.filter((table) => !installed.has(table))) {
    await db.execute(sql.raw(`create trigger ${JOURNAL}_rows after insert or update or delete on ${quoteIdent(name)} for each row execute function ${JOURNAL}_count()`));
    await db.execute(sql.raw(`create trigger ${JOURNAL}_truncate after truncate on ${quoteIdent(name)} for each statement execute function ${JOURNAL}_count()`));
  }
  return {
    tables: watched,
    async take(): Promise<DatabaseFingerprint> {
      const rows = rowsOf<{ table_name: string; writes: string | number }>(await db.execute(sql.raw(`select table_name, writes from ${JOURNAL}`)));
      return Object.fromEntries(rows.map((row) => [row.table_name, Number(row.writes)]));
    },
  };
}

/** The tables written to between two fingerprints, for a readable failure. */
export function changedTables(before: DatabaseFingerprint, after: DatabaseFingerprint) {
  return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}
