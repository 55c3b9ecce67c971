import postgres from "postgres";

/** The PostgreSQL server the tests may create databases on (CI: postgres://postgres@127.0.0.1:5432/test). */
export const adminUrl = process.env.TEST_DATABASE_URL;

export function databaseUrl(name: string) {
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(work: (sql: postgres.Sql) => Promise<T>) {
  const sql = postgres(adminUrl!, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** Creating from a template fails while another session copies it; a short retry absorbs it. */
export async function createDatabaseFrom(template: string, name: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((sql) => sql.unsafe(`create database "${name}" template "${template}"`));
      return;
    } catch (error) {
      if (attempt >= 20 || !String(error).includes("being accessed by other users")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
}

export async function dropDatabase(name: string) {
  await withAdmin((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`));
}
