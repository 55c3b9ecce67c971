import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { writeBenchmarkSection } from "../lib/benchmark-report";

/*
 * What a first visit of each page downloads, from the production build: the JavaScript (the
 * client entry, the chunks of every route of the page's branch, root first, and the chunks they
 * import) and the CSS (the stylesheets the branch's `links()` declare — the DSFR and the
 * portal's own — plus the CSS Vite attached to its chunks), each file counted once, raw and
 * gzipped (level 9, what `compression` sends at best). Also checks that the DSFR icons are
 * pruned: the icon classes in the shipped CSS against the DSFR's full set.
 *
 * Run: npx tsx scripts/bench/page-weight.ts [--build] (--build runs `npm run build` first; without
 * it the script reads build/). BENCH_REPORT=0 prints the section instead of writing it into
 * docs/benchmarks.md.
 */

const BUILD = path.resolve("build");
const HEADING = "## Poids des pages au premier chargement";
const DSFR_FULL_ICONS = path.resolve("node_modules/@codegouvfr/react-dsfr/dsfr/utility/icons/icons.main.min.css");

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: string;
  imports?: string[];
  css?: string[];
}
interface ServerRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: { default?: unknown; links?: () => Array<{ rel?: string; href?: string }> };
}
interface ServerBuild {
  routes: Record<string, ServerRoute>;
  assets: { entry: { module: string; imports: string[] }; routes: Record<string, ManifestRoute> };
}

const loadAtStart = loadavg()[0];
if (process.argv.includes("--build")) execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
if (!existsSync(path.join(BUILD, "server", "index.js"))) throw new Error("Pas de build/server/index.js : lancez `npm run build` ou passez --build.");

// The server build knows both the browser manifest (chunks per route) and each route's links().
// A database URL nobody connects to: importing the build opens no connection (postgres.js is lazy).
process.env.DATABASE_URL ??= "postgres://bench@127.0.0.1:1/none";
const build = (await import(pathToFileURL(path.join(BUILD, "server", "index.js")).href)) as ServerBuild;

const sizes = new Map<string, { raw: number; gzip: number }>();
function sizeOf(url: string) {
  let size = sizes.get(url);
  if (!size) {
    const content = readFileSync(path.join(BUILD, "client", url.replace(/^\//, "")));
    size = { raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
    sizes.set(url, size);
  }
  return size;
}
const total = (urls: Iterable<string>) => [...urls].reduce((sum, url) => ({ raw: sum.raw + sizeOf(url).raw, gzip: sum.gzip + sizeOf(url).gzip }), { raw: 0, gzip: 0 });

/** The route and its parents, root first: what Remix loads for a page. */
function branch(id: string): ServerRoute[] {
  const chain: ServerRoute[] = [];
  for (let route: ServerRoute | undefined = build.routes[id]; route; route = route.parentId ? build.routes[route.parentId] : undefined) chain.unshift(route);
  return chain;
}

/** The URL people see, from the route's path and its parents'. */
function urlOf(chain: ServerRoute[]) {
  const parts = chain.map((route) => route.path ?? "").filter(Boolean);
  return `/${parts.join("/")}`.replace(/\/+/g, "/");
}

interface PageWeight {
  url: string;
  js: { raw: number; gzip: number; files: number };
  css: { raw: number; gzip: number; files: number };
  cssFiles: Set<string>;
}
const pages: PageWeight[] = [];
for (const route of Object.values(build.routes)) {
  // Pages only: a resource route (no component) is downloaded by the browser as a file, not a page.
  if (!route.module.default || route.id === "root") continue;
  const hasChildren = Object.values(build.routes).some((other) => other.parentId === route.id && other.module.default);
  if (hasChildren && !route.index) continue; // a layout: its pages are its children
  const chain = branch(route.id);
  const js = new Set<string>([build.assets.entry.module, ...build.assets.entry.imports]);
  const css = new Set<string>();
  for (const member of chain) {
    const chunk = build.assets.routes[member.id];
    js.add(chunk.module);
    for (const url of chunk.imports ?? []) js.add(url);
    for (const url of chunk.css ?? []) css.add(url);
    for (const link of member.module.links?.() ?? []) if (link.rel === "stylesheet" && link.href) css.add(link.href);
  }
  pages.push({ url: urlOf(chain), js: { ...total(js), files: js.size }, css: { ...total(css), files: css.size }, cssFiles: css });
}
pages.sort((a, b) => a.url.localeCompare(b.url));

// DSFR icons: one `.fr-icon-…:before` rule per icon. The full set is the DSFR's icon sheet as
// published; the shipped one is whatever CSS the pages link.
const iconClasses = (css: string) => new Set([...css.matchAll(/\.(fr-icon-[a-z0-9-]+|ri-[a-z0-9-]+)(?=[:,{\s.])/g)].map((match) => match[1]));
const fullIcons = iconClasses(readFileSync(DSFR_FULL_ICONS, "utf8"));
const shippedCss = [...new Set(pages.flatMap((page) => [...page.cssFiles]))];
const shippedIcons = new Set(shippedCss.flatMap((url) => [...iconClasses(readFileSync(path.join(BUILD, "client", url.replace(/^\//, "")), "utf8"))]));
const pruned = shippedIcons.size > 0 && shippedIcons.size < fullIcons.size / 4;

const kio = (bytes: number) => (bytes / 1024).toFixed(1);
const heaviest = (key: "js" | "css") => pages.reduce((max, page) => (page[key].gzip > max[key].gzip ? page : max));
for (const page of pages) console.log(`${page.url.padEnd(48)} JS ${kio(page.js.gzip).padStart(6)} Kio gz (${page.js.files} fichiers)  CSS ${kio(page.css.gzip).padStart(6)} Kio gz`);
console.log(`Icônes du DSFR livrées : ${shippedIcons.size} classes sur ${fullIcons.size}.`);

const section = `${HEADING}

Commande : \`npx tsx scripts/bench/page-weight.ts\` (lit \`build/\` ; \`--build\` construit d'abord) — mesuré le ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${availableParallelism()} cœurs, charge moyenne ${loadAtStart.toFixed(1)} au départ ; la charge ne change pas ces tailles).

Pour chaque page (route avec un composant), ce qu'une première visite télécharge d'après le build de production : le JavaScript (point d'entrée client, modules des routes de la branche de la racine à la page et les morceaux qu'ils importent, chacun compté une fois) et le CSS (feuilles déclarées par les \`links()\` de la branche — DSFR et feuille du portail — et CSS attaché aux morceaux par Vite). Tailles brutes et compressées par gzip (niveau 9). Le manifeste des routes, inclus dans le HTML, et les polices et images (chargées à la demande par le CSS) ne sont pas comptés.

| page | JS (gzip) | JS (brut) | fichiers JS | CSS (gzip) | CSS (brut) |
|---|---|---|---|---|---|
${pages.map((page) => `| \`${page.url}\` | ${kio(page.js.gzip)} Kio | ${kio(page.js.raw)} Kio | ${page.js.files} | ${kio(page.css.gzip)} Kio | ${kio(page.css.raw)} Kio |`).join("\n")}

Page la plus lourde en JavaScript : \`${heaviest("js").url}\` (${kio(heaviest("js").js.gzip)} Kio gzip) ; en CSS : \`${heaviest("css").url}\` (${kio(heaviest("css").css.gzip)} Kio gzip).

Constats : le socle commun à toutes les pages (React, Remix, le JavaScript du DSFR) pèse environ 126 Kio gzip ; les pages à formulaire validé dans le navigateur y ajoutent zod et conform (environ 35 Kio gzip, une seule locale, l'anglaise, les messages étant en français dans les schémas) ; la carte des départements n'est que dans \`/programme\` (le morceau de cette page, environ 50 Kio gzip). Les listes fermées (statuts, catégories, grilles, avis, tranches) venaient du schéma drizzle et embarquaient le constructeur de tables de drizzle (environ 11 Kio gzip par page) dans les pages d'instruction, de programme et d'organisation : elles viennent désormais de \`db/schema/values.ts\`. Ni exceljs, ni react-pdf, ni PGlite, ni les données géographiques ne sont dans le code client.

Icônes du DSFR : ${shippedIcons.size} classes d'icônes dans le CSS livré, sur ${fullIcons.size} dans le jeu complet du DSFR (\`icons.main.min.css\`) — ${pruned ? "élaguées" : "**non élaguées**"} par \`only-include-used-icons\` (lancé par \`postinstall\` et \`prebuild\`).
`;

writeBenchmarkSection(HEADING, section);
process.exit(0);
