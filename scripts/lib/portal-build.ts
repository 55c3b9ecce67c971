import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/*
 * The production build and the file that starts the portal from it. `npm start` is
 * `tsx scripts/build-if-stale.ts && node build/server/start.js`: the check runs under tsx and
 * exits, the portal runs as plain `node` (ADR 012). The scripts that start a portal of their own
 * (journeys, fault scripts, benchmarks) do the same through `portalCommand()`.
 */

/** The production server: app/http/start.server.ts, built next to Remix's entry (vite.config.ts). */
export const PORTAL_SERVER = "build/server/start.js";

// db/ whole: the database client and the demo seed are bundled into build/server/start.js too.
const SOURCE_DIRS = ["app", "db", "emails", "templates"];
const SOURCE_FILES = ["package.json", "vite.config.ts", "remix.config.js"];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** Builds when the build is older than the sources (or absent); a current build is reused as is. Answers how long the build took, or null. */
export function buildIfStale(): number | null {
  const builtAt = existsSync(PORTAL_SERVER) ? statSync(PORTAL_SERVER).mtimeMs : 0;
  const changedAt = Math.max(
    ...SOURCE_DIRS.filter((dir) => existsSync(dir)).map(newestMtime),
    ...SOURCE_FILES.filter((file) => existsSync(file)).map((file) => statSync(file).mtimeMs),
  );
  if (builtAt > changedAt) return null;
  console.log("Construction du portail (npm run build)…");
  const started = performance.now();
  // NODE_ENV: a caller under vitest has « test », and Vite would then bundle React's development build.
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  return performance.now() - started;
}

/**
 * The V8 options of the portal process, read from the `start` script of package.json so that
 * there is one place to change them: a smaller young generation and a heap that grows by 25 %
 * between full collections instead of up to 4×, which keeps a 100,000-row export under 150 MB
 * (ADR 012, docs/benchmarks.md « Exports »).
 */
export function portalNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts.start;
  const match = new RegExp(`\\bnode((?: --[^ ]+)*) ${PORTAL_SERVER.replace(/[./]/g, "\\$&")}`).exec(start);
  if (!match) throw new Error(`Le script « start » de package.json ne lance pas ${PORTAL_SERVER} avec node.`);
  return match[1].trim().split(" ").filter(Boolean);
}

/** The command that starts the built portal as `npm start` does, once the build is current. */
export function portalCommand(): [command: string, args: string[]] {
  buildIfStale();
  return [process.execPath, [...portalNodeFlags(), PORTAL_SERVER]];
}
