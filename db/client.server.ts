import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { env } from "~/env.server";
import * as schema from "./schema";

type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What a query helper accepts: the database or the transaction it runs in. */
export type Executor = Database | Transaction;

/** Raw SQL access shared with pg-boss (which speaks plain SQL). */
export interface SqlRunner {
  /** One statement with bind parameters, or several statements without. */
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

interface Connection {
  engine: "postgres" | "pglite";
  db: Database;
  sql: SqlRunner;
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = path.resolve(process.env.MIGRATIONS_DIR ?? "db/migrations");
/** Arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_263_011;

/**
 * drizzle sends each query it builds as an unnamed statement (postgres.js `prepare: false`):
 * postgres.js then asks the server to describe the statement before every execution (two round
 * trips) and the server parses and plans it each time. With `prepare: true`, postgres.js's own
 * default, each connection prepares a statement once and later runs it in one round trip
 * (docs/benchmarks.md, « Routes sous charge »). The statements are drizzle's parameterised SQL,
 * mostly a fixed set (an IN list makes one per length); a connection keeps its statements until
 * it closes (after 30 s idle, or its 30 to 60 min lifetime in postgres.js), which bounds them.
 * Transactions (`begin`) get the same treatment.
 */
function preparedStatements(client: postgres.Sql): postgres.Sql {
  const prepare = <T extends postgres.Sql | postgres.TransactionSql>(sql: T): T =>
    new Proxy(sql, {
      get(target, property, receiver) {
        if (property === "unsafe") return (text: string, params?: never[], options?: postgres.UnsafeQueryOptions) => target.unsafe(text, params, { ...options, prepare: true });
        if (property === "begin") return (...args: unknown[]) => {
          const work = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target as postgres.Sql).begin(...(args as [string]), (tx) => work(prepare(tx)));
        };
        return Reflect.get(target, property, receiver);
      },
    });
  return prepare(client);
}

function connectPostgres(url: string): Connection {
  const client = postgres(url, {
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 30,
  });
  const db = drizzlePostgres(preparedStatements(client), { schema }) as unknown as Database;
  return {
    engine: "postgres",
    db,
    sql: {
      async query(text, values) {
        const rows = values && values.length > 0
          ? await client.unsafe(text, values as postgres.ParameterOrJSON<never>[])
          : await client.unsafe(text).simple();
        return { rows: Array.from(rows as Iterable<Record<string, unknown>>) };
      },
    },
    async migrate() {
      // A dedicated connection: the advisory lock belongs to a session, and two processes
      // starting together must not both apply the same migration.
      const lockClient = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lockClient`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder: MIGRATIONS_FOLDER });
        await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      } finally {
        await lockClient.end();
      }
    },
    async ping() {
      await client`select 1`;
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

/** Set while a `transaction()` callback runs, to catch the outer `db` used inside it. */
const insideTransaction = new AsyncLocalStorage<boolean>();

/**
 * PGlite runs one transaction at a time: a query on the outer client issued from inside a
 * transaction waits for that transaction, which waits for the query — the process hangs. Fail
 * at once instead, with a message that names the mistake (on PostgreSQL the same mistake is a
 * query outside the transaction: a bug too, just a quieter one).
 */
function refuseOuterUseInsideTransaction(client: PGlite) {
  for (const method of ["query", "exec", "transaction"] as const) {
    const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      if (insideTransaction.getStore()) {
        return Promise.reject(new Error("The outer `db` was used inside transaction(): use the `tx` given to the callback."));
      }
      return original(...args);
    };
  }
}

/*
 * The embedded engine is loaded only when it is the one in use: PGlite (PostgreSQL compiled to
 * WASM) and drizzle's driver for it weigh about 45 MB of a process's memory, which a server on
 * PostgreSQL would otherwise carry for nothing (docs/benchmarks.md, « Exports »).
 */
async function connectPglite(dataDir: string): Promise<Connection> {
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(inMemory ? dataDir : path.resolve(dataDir, "pglite"));
  refuseOuterUseInsideTransaction(client);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    engine: "pglite",
    db,
    sql: {
      async query(text, values) {
        if (values && values.length > 0) {
          const result = await client.query<Record<string, unknown>>(text, values);
          return { rows: result.rows };
        }
        const results = await client.exec(text);
        return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
      },
    },
    async migrate() {
      const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
    },
    async ping() {
      await client.query("select 1");
    },
    async close() {
      await client.close();
    },
  };
}

/**
 * One connection per process. Kept on globalThis because the Remix server bundle and the
 * scripts that host it are two module graphs in one process: two PGlite instances on one data
 * folder would corrupt it, and two postgres.js pools would double the connections.
 */
const globalKey = Symbol.for("medicobus.database");
/** The promise is what is shared, so that two graphs importing this module at once still open one connection. */
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<Connection> };

function connection(): Promise<Connection> {
  const store = globalThis as GlobalWithDb;
  store[globalKey] ??= env.DATABASE_URL ? Promise.resolve(connectPostgres(env.DATABASE_URL)) : connectPglite(env.DATA_DIR);
  return store[globalKey];
}

// Top-level await: the embedded engine is imported on demand, and every module that imports
// `db` gets it ready to use, as before.
const opened = await connection();
export const db: Database = opened.db;
export const sqlRunner: SqlRunner = opened.sql;
export const databaseEngine = opened.engine;

export async function migrateDatabase() {
  await (await connection()).migrate();
}

/**
 * How long /healthz waits for the database. postgres.js queues a query while its connections
 * reconnect, and during a PostgreSQL restart that wait lasted 10 to 18 s (fault script
 * scripts/faults/postgres-restart.ts); a pool busy with slow queries queues it too. A load
 * balancer needs a prompt « no », not a hanging probe.
 */
const PING_TIMEOUT_MS = 2_000;

/** Throws when the database does not answer within `timeoutMs`; used by /healthz. */
export async function pingDatabase(timeoutMs = PING_TIMEOUT_MS) {
  const ping = connection().then((opened) => opened.ping());
  // The late answer (or failure) of an abandoned ping must not surface as an unhandled rejection.
  ping.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The database did not answer within ${timeoutMs} ms.`)), timeoutMs);
  });
  try {
    await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function closeDatabase() {
  const store = globalThis as GlobalWithDb;
  const current = store[globalKey];
  delete store[globalKey];
  await (await current)?.close();
}

type AfterCommit = (task: () => Promise<unknown> | unknown) => void;

/**
 * Runs `work` in a transaction and, once it has committed, the tasks it registered with
 * `afterCommit` (queue a mail, render a PDF). A rolled-back transaction runs none of them.
 * Inside `work`, always use `tx`: the outer `db` deadlocks on PGlite.
 */
export async function transaction<T>(work: (tx: Transaction, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  const tasks: Array<() => Promise<unknown> | unknown> = [];
  const result = await db.transaction((tx) => insideTransaction.run(true, () => work(tx, (task) => tasks.push(task))));
  for (const task of tasks) {
    try {
      await task();
    } catch (error) {
      // The business change is committed; a failed follow-up (e.g. queueing a mail) must not
      // turn it into an error page. The mail outbox sweeper retries queued mails.
      console.error("after-commit task failed", error);
    }
  }
  return result;
}
