/**
 * Who may call what: one entry per file of app/routes, read by route-authorization.test.ts,
 * which calls every loader and action as each of eight people and compares. A route file
 * without an entry (or an entry without its file) fails that test: adding a route means
 * writing down here who may open it, which is the point.
 *
 * The people, all around one submitted dossier of Normandie (see the test's fixtures):
 * - anonymous: no session;
 * - applicant: member of the organisation that filed the dossier;
 * - otherApplicant: member of another organisation;
 * - arsOwnRegion / arsOtherRegion: ARS agent of Normandie / of Bretagne;
 * - anctNational: ANCT agent with no région;
 * - manager: program_manager; admin: admin only (administration of accounts, nothing else).
 *
 * Outcomes: « allowed » = past authorization (2xx, a redirect other than to /connexion, or a
 * 400/409/422 answer of the validation that comes after it: actions are posted empty); « sign-in » = 302 to /connexion;
 * 403; 404 (a dossier or object the person may not know of is « not found », not « forbidden »,
 * so that its existence does not leak). Nobody ever gets a 500.
 */

export const PEOPLE = ["anonymous", "applicant", "otherApplicant", "arsOwnRegion", "arsOtherRegion", "anctNational", "manager", "admin"] as const;
export type Person = (typeof PEOPLE)[number];
export type Outcome = "allowed" | "sign-in" | "403" | "404";
export type Expectations = Record<Person, Outcome>;

export interface RoutePolicy {
  /** The URL, with `:param` placeholders the test fills from its fixtures. */
  url: string;
  loader?: Expectations;
  action?: Expectations;
  /**
   * The form the action receives (values may hold `:placeholders`); empty by default. An action
   * that validates its form before it looks the dossier up needs a valid one, or the member of
   * another organisation would stop at the validation (400) and the dossier check go untested.
   */
  form?: Record<string, string>;
  /** Why an outcome is what it is, when it is not obvious. */
  note?: string;
}

const SIGNED_IN: Person[] = ["applicant", "otherApplicant", "arsOwnRegion", "arsOtherRegion", "anctNational", "manager", "admin"];

/** The same outcome for everyone, the anonymous visitor included. */
function everyone(outcome: Outcome): Expectations {
  return Object.fromEntries(PEOPLE.map((person) => [person, outcome])) as Expectations;
}

/** Behind sign-in: the listed people are let in, the other signed-in ones get `otherwise`. */
function only(allowed: Person[], otherwise: Outcome = "403", overrides: Partial<Expectations> = {}): Expectations {
  const result = { anonymous: "sign-in" } as Expectations;
  for (const person of SIGNED_IN) result[person] = allowed.includes(person) ? "allowed" : otherwise;
  return { ...result, ...overrides };
}

const PUBLIC = everyone("allowed");
const ANY_ACCOUNT = only(SIGNED_IN);
const ADMIN = only(["admin"]);
const MANAGER = only(["manager"]);
const INSTRUCTION = only(["arsOwnRegion", "arsOtherRegion", "anctNational", "manager"]);
/** A dossier page of the applicant's side: another organisation's member does not learn it exists. */
const OWN_DOSSIER = only(["applicant"], "403", { otherApplicant: "404" });
/** The same, for the pages open to any account (requireUser): an agent, not a member, gets the 404 too. */
const MEMBERS_ONLY = only(["applicant"], "404");
/** Behind program_manager, on an object the fixtures do not make: the manager gets past the role check and finds nothing. */
const MANAGER_MISSING = only([], "403", { manager: "404" });
/** A dossier page of the instruction side: an ARS agent of another région does not see it. */
const INSTRUCTED_DOSSIER = only(["arsOwnRegion", "anctNational", "manager"], "403", { arsOtherRegion: "404" });

export const ROUTE_POLICIES: Record<string, RoutePolicy> = {
  "$.tsx": { url: "/une-page-qui-n-existe-pas", loader: everyone("404"), note: "The splat: a 404 for everyone." },
  "_index.tsx": { url: "/", loader: PUBLIC },
  "accessibilite.tsx": { url: "/accessibilite" },
  "admin._index.tsx": { url: "/admin", loader: ADMIN, action: ADMIN },
  "admin.utilisateurs.$id.tsx": { url: "/admin/utilisateurs/:userId", loader: ADMIN, action: ADMIN },
  "aide.tsx": { url: "/aide", loader: PUBLIC },
  "api.communes.ts": { url: "/api/communes?q=Alen", loader: ANY_ACCOUNT },
  "compte.tsx": { url: "/compte", loader: ANY_ACCOUNT, action: ANY_ACCOUNT },
  "connexion.tsx": { url: "/connexion", loader: PUBLIC, action: PUBLIC },
  "deconnexion.tsx": { url: "/deconnexion", loader: PUBLIC, action: PUBLIC, note: "Without a session both answer a redirect to the home page." },
  "dev.courriels.$id.tsx": {
    url: "/dev/courriels/:missingId",
    loader: everyone("404"),
    note: "The development mailbox (no SMTP configured, not production); the id is well-formed but no mail has it.",
  },
  "dev.courriels._index.tsx": { url: "/dev/courriels", loader: PUBLIC, note: "The development mailbox: open without an account, off in production." },
  "donnees-personnelles.tsx": { url: "/donnees-personnelles" },
  "dossiers.$reference.$section.tsx": { url: "/dossiers/:reference/porteur", loader: MEMBERS_ONLY, action: MEMBERS_ONLY },
  "dossiers.$reference._index.tsx": { url: "/dossiers/:reference", loader: OWN_DOSSIER },
  "dossiers.$reference.courrier-decision.tsx": {
    url: "/dossiers/:reference/courrier-decision",
    loader: only([], "403", { applicant: "404", otherApplicant: "404" }),
    note: "No decision letter is sent for the fixtures' dossier: 404 for its applicant too.",
  },
  "dossiers.$reference.messages.tsx": { url: "/dossiers/:reference/messages", loader: OWN_DOSSIER, action: OWN_DOSSIER, form: { body: "Une question sur le calendrier." } },
  "dossiers.$reference.pieces.$pieceId.tsx": { url: "/dossiers/:reference/pieces/:pieceId", loader: MEMBERS_ONLY },
  "dossiers.$reference.pieces.tsx": {
    url: "/dossiers/:reference/pieces",
    loader: MEMBERS_ONLY,
    action: MEMBERS_ONLY,
    form: { intent: "delete", pieceId: ":pieceId" },
    note: "The dossier is submitted: its applicant may not remove a piece any more (a 4xx past authorization).",
  },
  "dossiers.$reference.recapitulatif.tsx": {
    url: "/dossiers/:reference/recapitulatif",
    action: OWN_DOSSIER,
    form: { intent: "submit" },
    note: "Submitting an already submitted dossier answers « already submitted » to its applicant.",
  },
  "dossiers.$reference.recepisse.tsx": { url: "/dossiers/:reference/recepisse", loader: OWN_DOSSIER },
  "dossiers.$reference.retrait.tsx": {
    url: "/dossiers/:spareReference/retrait",
    action: OWN_DOSSIER,
    form: { motivation: "Le projet est reporté.", confirm: "on" },
    note: "On a second dossier of the same organisation: the applicant's withdrawal goes through and must not end the main one.",
  },
  "dossiers.$reference.tsx": { url: "/dossiers/:reference", loader: OWN_DOSSIER },
  "dossiers.nouveau.tsx": { url: "/dossiers/nouveau", loader: only(["applicant", "otherApplicant"]), action: only(["applicant", "otherApplicant"]) },
  "healthz.ts": { url: "/healthz", loader: PUBLIC },
  "inscription.tsx": { url: "/inscription", loader: PUBLIC, action: PUBLIC, note: "A signed-in visitor is sent to their home page." },
  "instruction._index.tsx": { url: "/instruction", loader: INSTRUCTION },
  "instruction.affectations.tsx": {
    url: "/instruction/affectations",
    loader: only(["arsOwnRegion", "arsOtherRegion", "manager"]),
    action: only(["arsOwnRegion", "arsOtherRegion", "manager"]),
    note: "Assigning evaluators is for the ARS and the programme; the ANCT evaluates but does not assign.",
  },
  "instruction.dossiers.$reference._index.tsx": { url: "/instruction/dossiers/:reference", note: "No loader: the layout's loader authorizes and loads." },
  "instruction.dossiers.$reference.evaluations.$rubric.tsx": {
    url: "/instruction/dossiers/:reference/evaluations/ars",
    loader: only(["arsOwnRegion"], "403", { arsOtherRegion: "404" }),
    action: only(["arsOwnRegion"], "403", { arsOtherRegion: "404" }),
    note: "The ARS evaluation sheet: only the evaluator it is assigned to (the Normandie ARS agent) fills it.",
  },
  "instruction.dossiers.$reference.evaluations._index.tsx": { url: "/instruction/dossiers/:reference/evaluations", action: INSTRUCTED_DOSSIER },
  "instruction.dossiers.$reference.fiche-evaluation.tsx": { url: "/instruction/dossiers/:reference/fiche-evaluation", loader: INSTRUCTED_DOSSIER },
  "instruction.dossiers.$reference.historique.tsx": { url: "/instruction/dossiers/:reference/historique", note: "No loader: the layout's loader authorizes and loads." },
  "instruction.dossiers.$reference.messages.tsx": { url: "/instruction/dossiers/:reference/messages", loader: INSTRUCTED_DOSSIER, action: INSTRUCTED_DOSSIER },
  "instruction.dossiers.$reference.notes.tsx": { url: "/instruction/dossiers/:reference/notes", action: INSTRUCTED_DOSSIER },
  "instruction.dossiers.$reference.pieces.$pieceId.tsx": { url: "/instruction/dossiers/:reference/pieces/:pieceId", loader: INSTRUCTED_DOSSIER },
  "instruction.dossiers.$reference.recevabilite.tsx": { url: "/instruction/dossiers/:reference/recevabilite", action: INSTRUCTED_DOSSIER },
  "instruction.dossiers.$reference.tsx": { url: "/instruction/dossiers/:reference", loader: INSTRUCTED_DOSSIER },
  "instruction.export.ts": { url: "/instruction/export?format=csv", loader: INSTRUCTION },
  "invitation.tsx": { url: "/invitation", loader: PUBLIC, action: PUBLIC, note: "Without a token: the page says the link is not valid." },
  "mentions-legales.tsx": { url: "/mentions-legales" },
  "mon-espace._index.tsx": { url: "/mon-espace", loader: only(["applicant", "otherApplicant"]) },
  "mot-de-passe-oublie.tsx": { url: "/mot-de-passe-oublie", action: PUBLIC },
  "organisations.$id.tsx": { url: "/organisations/:organisationId", loader: MEMBERS_ONLY, action: MEMBERS_ONLY },
  "organisations.invitation.tsx": {
    url: "/organisations/invitation",
    loader: PUBLIC,
    action: PUBLIC,
    note: "Public: an invitation may create the account; only « join » (intent) needs a session. Without a token: 400.",
  },
  "organisations.nouvelle.tsx": { url: "/organisations/nouvelle", loader: only(["applicant", "otherApplicant"]), action: only(["applicant", "otherApplicant"]) },
  "programme._index.tsx": { url: "/programme", loader: MANAGER },
  "programme.courriers._index.tsx": { url: "/programme/courriers", loader: MANAGER, action: MANAGER },
  "programme.courriers.apercu.$decisionId.ts": {
    url: "/programme/courriers/apercu/:missingId",
    loader: MANAGER_MISSING,
    note: "No decision in the fixtures: a well-formed id that does not exist, 404 for the manager.",
  },
  "programme.courriers.envois.$batchId.progression.ts": {
    url: "/programme/courriers/envois/:missingId/progression",
    loader: MANAGER_MISSING,
    note: "No batch in the fixtures: a well-formed id that does not exist, 404 for the manager.",
  },
  "programme.courriers.envois.$batchId.tsx": {
    url: "/programme/courriers/envois/:missingId",
    loader: MANAGER_MISSING,
    action: MANAGER_MISSING,
    note: "No batch in the fixtures: a well-formed id that does not exist, 404 for the manager.",
  },
  "programme.dossiers.$reference.versements.tsx": {
    url: "/programme/dossiers/:reference/versements",
    loader: MANAGER,
    action: MANAGER,
    note: "The fixture's dossier is not selected: the page says nothing is committed; an empty post is refused by field (400).",
  },
  "programme.exports.$liste.ts": { url: "/programme/exports/decisions?format=csv", loader: MANAGER },
  "programme.exports._index.tsx": { url: "/programme/exports", loader: MANAGER },
  "programme.exports.subventions-scdl.ts": { url: "/programme/exports/subventions-scdl?format=csv", loader: MANAGER },
  "programme.journal.tsx": { url: "/programme/journal", loader: MANAGER, action: MANAGER },
  "programme.tsx": { url: "/programme", loader: MANAGER },
  "programme.vagues.$numero._index.tsx": { url: "/programme/vagues/2", loader: MANAGER, action: MANAGER },
  "programme.vagues.$numero.cloture.tsx": { url: "/programme/vagues/1/cloture", loader: MANAGER, action: MANAGER, note: "Wave 1: the last wave has no next one to carry the remainder to (404)." },
  "programme.vagues.$numero.configuration.tsx": { url: "/programme/vagues/2/configuration", loader: MANAGER, action: MANAGER },
  "programme.vagues.$numero.decision.tsx": { url: "/programme/vagues/2/decision", loader: MANAGER, action: MANAGER },
  "programme.vagues._index.tsx": { url: "/programme/vagues", loader: MANAGER, action: MANAGER },
  "reinitialiser-mot-de-passe.tsx": { url: "/reinitialiser-mot-de-passe", loader: PUBLIC, action: PUBLIC, note: "Without a token: the page says the link is not valid." },
  "verifier-email.tsx": { url: "/verifier-email", loader: PUBLIC, action: PUBLIC },
};
