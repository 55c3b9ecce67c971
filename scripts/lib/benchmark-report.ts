import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The file every benchmark writes its figures into, one `## ` section per benchmark. */
export const BENCHMARKS_FILE = path.join(process.cwd(), "docs", "benchmarks.md");

/**
 * Puts `section` (which starts with `heading`) into docs/benchmarks.md: other benchmarks write
 * their own sections of the same file, so only this heading's section is replaced, or the section
 * is added at the end. BENCH_REPORT=0 prints the section instead (a trial run leaves the file alone).
 */
export function writeBenchmarkSection(heading: string, section: string, file = BENCHMARKS_FILE) {
  if (process.env.BENCH_REPORT === "0") {
    console.log(section);
    return;
  }
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Mesures de performance\n";
  const start = current.indexOf(`${heading}\n`);
  const end = start === -1 ? -1 : current.indexOf("\n## ", start + heading.length);
  const next = start === -1 ? `${current.trimEnd()}\n\n${section}` : `${current.slice(0, start)}${section}${end === -1 ? "" : current.slice(end)}`;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, next.endsWith("\n") ? next : `${next}\n`);
  console.log(`Résultats écrits dans ${path.relative(process.cwd(), file)} (${heading}).`);
}
