import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PEOPLE, ROUTE_POLICIES, type Expectations, type Outcome, type Person } from "../../integration/route-policies";
import type { DemoRole } from "./accounts";

/**
 * Every page of the portal, derived from app/routes: each route file is either a page, with the
 * URLs that show it, or listed below as not a page with the reason. Who visits a page is read from
 * the authorization matrix (tests/integration/route-policies.ts): every demo role it lets in. A
 * new route file that is in neither list fails tests/e2e/every-page.test.ts.
 */

export type Visitor = "anonymous" | DemoRole;
export const VISITORS: readonly Visitor[] = ["anonymous", "applicant", "ars_agent", "anct_agent", "program_manager", "admin"];

/** The matrix's people played by the demo accounts (the other organisation and région have no demo account). */
const PERSON_OF: Record<Visitor, Person> = {
  anonymous: "anonymous",
  applicant: "applicant",
  ars_agent: "arsOwnRegion",
  anct_agent: "anctNational",
  program_manager: "manager",
  admin: "admin",
};

export interface PageVisit {
  /** With placeholders filled from the scene: :draft, :corrected, :evaluated, :selected, :batchId, :userId, :organisationId, :mailId. */
  url: string;
  /** Who opens this URL, when it is not everyone the route's policy lets in (a rubric's sheet is its evaluator's). */
  visitors?: readonly Visitor[];
  /**
   * A public page (open without an account) is checked as the anonymous visitor sees it: its
   * content is the same for everyone, and what a role changes (the header's menu) is checked on
   * every page of that role. `everyRole` also opens it with each account (the home page, the 404).
   */
  everyRole?: boolean;
  /** The status the page answers with (200 unless said). */
  status?: number;
  /** A form worth seeing refused: its submit button, pressed with every field empty, must show the error summary. */
  emptySubmit?: string;
}

const SECTIONS = ["porteur", "territoire", "projet", "vehicule", "budget"] as const;

export const PAGES: Record<string, readonly PageVisit[]> = {
  "$.tsx": [{ url: "/une-page-qui-n-existe-pas", status: 404, everyRole: true }],
  "_index.tsx": [{ url: "/", everyRole: true }],
  "accessibilite.tsx": [{ url: "/accessibilite" }],
  "admin._index.tsx": [{ url: "/admin", emptySubmit: "Inviter" }],
  "admin.utilisateurs.$id.tsx": [{ url: "/admin/utilisateurs/:userId" }],
  "aide.tsx": [{ url: "/aide" }],
  "compte.tsx": [{ url: "/compte", emptySubmit: "Enregistrer le mot de passe" }],
  "connexion.tsx": [{ url: "/connexion", emptySubmit: "Se connecter" }],
  "deconnexion.tsx": [{ url: "/deconnexion", visitors: ["applicant", "ars_agent", "anct_agent", "program_manager", "admin"] }],
  "dev.courriels.$id.tsx": [{ url: "/dev/courriels/:mailId" }],
  "dev.courriels._index.tsx": [{ url: "/dev/courriels" }],
  "donnees-personnelles.tsx": [{ url: "/donnees-personnelles" }],
  "dossiers.$reference.$section.tsx": SECTIONS.map((section) => ({ url: `/dossiers/:draft/${section}` })),
  "dossiers.$reference._index.tsx": [{ url: "/dossiers/:draft" }, { url: "/dossiers/:corrected" }],
  "dossiers.$reference.messages.tsx": [{ url: "/dossiers/:corrected/messages", emptySubmit: "Envoyer le message" }],
  "dossiers.$reference.pieces.tsx": [{ url: "/dossiers/:draft/pieces" }],
  "dossiers.$reference.recapitulatif.tsx": [{ url: "/dossiers/:draft/recapitulatif" }],
  "dossiers.$reference.retrait.tsx": [{ url: "/dossiers/:draft/retrait", emptySubmit: "Retirer le dossier" }],
  "dossiers.nouveau.tsx": [{ url: "/dossiers/nouveau" }],
  "inscription.tsx": [{ url: "/inscription", emptySubmit: "Créer mon compte" }],
  "instruction._index.tsx": [{ url: "/instruction" }],
  "instruction.affectations.tsx": [{ url: "/instruction/affectations" }],
  "instruction.dossiers.$reference._index.tsx": [{ url: "/instruction/dossiers/:evaluated" }],
  "instruction.dossiers.$reference.evaluations.$rubric.tsx": [
    { url: "/instruction/dossiers/:evaluated/evaluations/ars", visitors: ["ars_agent"] },
    { url: "/instruction/dossiers/:evaluated/evaluations/anct", visitors: ["anct_agent"] },
  ],
  "instruction.dossiers.$reference.evaluations._index.tsx": [{ url: "/instruction/dossiers/:evaluated/evaluations" }],
  "instruction.dossiers.$reference.historique.tsx": [{ url: "/instruction/dossiers/:evaluated/historique" }],
  "instruction.dossiers.$reference.messages.tsx": [{ url: "/instruction/dossiers/:evaluated/messages", emptySubmit: "Envoyer le message" }],
  "instruction.dossiers.$reference.notes.tsx": [{ url: "/instruction/dossiers/:evaluated/notes", emptySubmit: "Enregistrer l'annotation" }],
  "instruction.dossiers.$reference.recevabilite.tsx": [{ url: "/instruction/dossiers/:corrected/recevabilite" }],
  "invitation.tsx": [{ url: "/invitation", status: 400 }],
  "mentions-legales.tsx": [{ url: "/mentions-legales" }],
  "mon-espace._index.tsx": [{ url: "/mon-espace" }],
  "mot-de-passe-oublie.tsx": [{ url: "/mot-de-passe-oublie", emptySubmit: "Envoyer le lien" }],
  "organisations.$id.tsx": [{ url: "/organisations/:organisationId" }],
  "organisations.invitation.tsx": [{ url: "/organisations/invitation", status: 400 }],
  "organisations.nouvelle.tsx": [{ url: "/organisations/nouvelle", emptySubmit: "Créer l'organisation" }],
  "programme._index.tsx": [{ url: "/programme" }],
  "programme.courriers._index.tsx": [{ url: "/programme/courriers" }],
  "programme.courriers.envois.$batchId.tsx": [{ url: "/programme/courriers/envois/:batchId" }],
  "programme.dossiers.$reference.versements.tsx": [{ url: "/programme/dossiers/:selected/versements" }],
  "programme.exports._index.tsx": [{ url: "/programme/exports" }],
  "programme.journal.tsx": [{ url: "/programme/journal" }],
  "programme.vagues.$numero._index.tsx": [{ url: "/programme/vagues/1" }, { url: "/programme/vagues/2" }],
  "programme.vagues.$numero.cloture.tsx": [{ url: "/programme/vagues/1/cloture" }],
  "programme.vagues.$numero.configuration.tsx": [{ url: "/programme/vagues/2/configuration" }],
  "programme.vagues.$numero.decision.tsx": [{ url: "/programme/vagues/1/decision" }],
  "programme.vagues._index.tsx": [{ url: "/programme/vagues" }],
  "reinitialiser-mot-de-passe.tsx": [{ url: "/reinitialiser-mot-de-passe", status: 400 }],
  "verifier-email.tsx": [{ url: "/verifier-email" }],
};

export const NOT_PAGES: Record<string, { kind: "resource" | "layout"; reason: string }> = {
  "api.communes.ts": { kind: "resource", reason: "JSON for the commune picker." },
  "dossiers.$reference.courrier-decision.tsx": { kind: "resource", reason: "The decision letter, a PDF." },
  "dossiers.$reference.pieces.$pieceId.tsx": { kind: "resource", reason: "A piece's file, as uploaded." },
  "dossiers.$reference.recepisse.tsx": { kind: "resource", reason: "The receipt, a PDF." },
  "dossiers.$reference.tsx": { kind: "layout", reason: "The dossier's header and steps around the applicant's dossier pages, checked with each of them." },
  "healthz.ts": { kind: "resource", reason: "Plain-text health check for the load balancer." },
  "instruction.dossiers.$reference.fiche-evaluation.tsx": { kind: "resource", reason: "The evaluation sheet, a PDF." },
  "instruction.dossiers.$reference.pieces.$pieceId.tsx": { kind: "resource", reason: "A piece's file, as uploaded." },
  "instruction.dossiers.$reference.tsx": { kind: "layout", reason: "The dossier's header and tabs around the instruction pages, checked with each of them." },
  "instruction.export.ts": { kind: "resource", reason: "CSV or XLSX export of the list." },
  "programme.courriers.apercu.$decisionId.ts": { kind: "resource", reason: "A decision letter's preview, a PDF." },
  "programme.courriers.envois.$batchId.progression.ts": { kind: "resource", reason: "JSON polled by the batch page for its progress." },
  "programme.exports.$liste.ts": { kind: "resource", reason: "CSV or XLSX exports." },
  "programme.exports.subventions-scdl.ts": { kind: "resource", reason: "Open-data file (SCDL), CSV or JSON." },
  "programme.tsx": { kind: "layout", reason: "The programme's side menu around its pages, checked with each of them." },
};

export const ROUTES_DIR = path.resolve("app/routes");

export function routeFiles() {
  return readdirSync(ROUTES_DIR).filter((file) => /\.tsx?$/.test(file)).sort();
}

/** Whether the route file renders something (a default export): a resource route does not. */
export function rendersPage(file: string) {
  return /^export default /m.test(readFileSync(path.join(ROUTES_DIR, file), "utf8"));
}

/**
 * The loader policy that guards a route: its own, else its parent layout's (a child without a
 * loader is authorized by the layout's loader), else open to everyone.
 */
export function loaderPolicy(file: string): Expectations {
  const own = ROUTE_POLICIES[file]?.loader;
  if (own) return own;
  const segments = file.replace(/\.tsx?$/, "").split(".");
  for (let length = segments.length - 1; length > 0; length--) {
    const parent = ROUTE_POLICIES[`${segments.slice(0, length).join(".")}.tsx`]?.loader;
    if (parent) return parent;
  }
  return Object.fromEntries(PEOPLE.map((person) => [person, "allowed"])) as Expectations;
}

export function outcomeFor(file: string, visitor: Visitor): Outcome {
  return loaderPolicy(file)[PERSON_OF[visitor]];
}

/** Whether this visitor opens this URL: named by the visit, or let in by the route's policy (public pages: see `everyRole`). */
function opens(file: string, visit: PageVisit, visitor: Visitor) {
  if (visit.visitors) return visit.visitors.includes(visitor);
  // « 404 for everyone » in the matrix: a page that exists or not by its URL (the not-found page, a mail by its id).
  const byUrl = VISITORS.every((someone) => outcomeFor(file, someone) === "404");
  if (!byUrl && outcomeFor(file, visitor) !== "allowed") return false;
  const isPublic = byUrl || outcomeFor(file, "anonymous") === "allowed";
  return !isPublic || visitor === "anonymous" || Boolean(visit.everyRole);
}

/** The visits of one visitor: every URL of every page its policy lets it see. */
export function visitsOf(visitor: Visitor) {
  return Object.entries(PAGES).flatMap(([file, visits]) => visits.filter((visit) => opens(file, visit, visitor)).map((visit) => ({ file, ...visit })));
}

/** A page this visitor is refused (403), to check the error page it gets. */
export function forbiddenVisitOf(visitor: Visitor): (PageVisit & { file: string }) | null {
  for (const [file, visits] of Object.entries(PAGES)) {
    if (outcomeFor(file, visitor) === "403" && !visits[0].visitors) return { file, url: visits[0].url, status: 403 };
  }
  return null;
}

export function fillPlaceholders(url: string, values: Record<string, string>) {
  return url.replace(/:([a-zA-Z]+)/g, (match, name: string) => {
    const value = values[name];
    if (!value) throw new Error(`Aucune valeur pour ${match} dans ${url}.`);
    return encodeURIComponent(value);
  });
}
