import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/** Where Debian and Ubuntu install each major version's server tools (initdb, pg_ctl are not on PATH). */
const DEBIAN_ROOT = "/usr/lib/postgresql";

/**
 * The path of a PostgreSQL tool (pg_dump, pg_restore, initdb, pg_ctl…): the newest major version
 * under /usr/lib/postgresql that has it, else the one on PATH. The newest, because pg_dump refuses
 * a server newer than itself and reads every older one.
 */
export function postgresBinary(name: string): string {
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((entry) => /^\d+$/.test(entry))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const candidate = path.join(DEBIAN_ROOT, version, "bin", name);
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || missing(name);
  } catch {
    return missing(name);
  }
}

function missing(name: string): never {
  throw new Error(`${name} introuvable : installez les outils clients de PostgreSQL (paquet postgresql-client ou postgresql).`);
}
