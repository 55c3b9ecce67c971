import postgres from "postgres";

/** The scratch database of one run: created empty, dropped at the end (even after a failure). */
export function scratchDatabase(serverUrl: string, name: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Nom de base invalide : ${name}`);
  const admin = () => postgres(serverUrl, { max: 1, onnotice: () => {} });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async create() {
      const sql = admin();
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
        await sql.unsafe(`create database ${name}`);
      } finally {
        await sql.end();
      }
    },
    async drop() {
      const sql = admin();
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}
