import fc from "fast-check";
import { EVALUATION_AVIS, OVERRIDE_MODES, PAYMENT_TRANCHES, RUBRICS } from "~db/schema";
import { ORGANISATION_KINDS } from "~db/schema/enums";
import { ACQUISITIONS, COST_KINDS, DAYS, FUNDER_KINDS, HALF_DAYS, PARTNER_KINDS, SECTION_KEYS, SPECIALTIES, ZONINGS } from "~/modules/applications/form";
import { AGENT_ROLES } from "~/modules/auth/roles";
import { CallRulesSchema } from "~/modules/calls/schema";
import { quotaField } from "~/modules/calls/waves";
import { REGIONS } from "~/modules/geo/regions";
import { OUTCOMES, placeholdersFor } from "~/modules/letters/placeholders";
import { FORM_SECTIONS, SECTION_SPECS } from "~/components/dossier/SectionFormData";
import { samplePdf, samplePng, sampleExe, sampleHtml } from "../fixtures/files";
import type { Outcome, Person } from "./route-policies";
import { formEntries, hostileText, hugeString, intentEntries, markup, oddNumber, strangeUnicode, type FieldKind, type FormEntries } from "./support/fuzz-values";

/**
 * What form-fuzzing.test.ts posts to each route that exports an action: who posts (a person the
 * action's policy lets in, so that the fuzz lands past authorization) and the generated requests,
 * built around the action's real field names and intents so that they reach past its first check.
 * A route file with an action and no entry here fails the test, as in the authorization matrix.
 *
 * Values of the form `@@name@@` are read from the database just before the request (the current
 * version of a dossier changes with each accepted save).
 */

/** The ids of the fuzz world (form-fuzzing.test.ts), by name. */
export type Ids = Record<string, string>;

export interface FuzzRequest {
  path: string;
  form?: FormEntries;
  /** A raw body sent as application/json (malformed on purpose, sometimes). */
  json?: string;
  /** A multipart upload of one file in `file`. */
  upload?: { bytes: Uint8Array; name: string; type: string; extra: FormEntries };
  accept?: string;
}

export interface ActionFuzzSpec {
  person: Person;
  /** What route-policies.ts says of this person on this action: « allowed » unless noted. */
  policyOutcome?: Outcome;
  requests: (ids: Ids) => fc.Arbitrary<FuzzRequest>;
}

export const DRAFT_VERSION = "@@draftVersion@@";
export const EVALUATION_VERSION = "@@evaluationVersion@@";

const withoutLoneSurrogates = (value: string) => value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

/** A URL segment: mostly the expected one, sometimes another person's, one that exists nowhere, or garbage. */
function segment(expected: string, others: string[]) {
  return fc.oneof(
    { arbitrary: fc.constant(expected), weight: 12 },
    { arbitrary: fc.constantFrom(...others, "MB-2026-ZZZZZZ", "00000000-0000-4000-8000-000000000000"), weight: 2 },
    { arbitrary: fc.oneof(strangeUnicode, markup, oddNumber).map((value) => encodeURIComponent(withoutLoneSurrogates(value)) || "%20"), weight: 1 },
  );
}

const referenceSegment = (ids: Ids, own = ids.reference) => segment(own, [ids.otherReference, ids.bretagneReference, ids.spareReference]);

function form(path: fc.Arbitrary<string>, fields: Record<string, FieldKind>, intents?: readonly string[]): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(path, formEntries(fields), intents ? intentEntries(intents) : fc.constant<FormEntries>([])).map(([url, entries, intent]) => ({ path: url, form: [...intent, ...entries] }));
}

const known = (...values: string[]): FieldKind => ({ ids: values });
const oneOf = (values: readonly string[]): FieldKind => ({ oneOf: values });
const keys = (labels: Record<string, string>) => Object.keys(labels);

const rules = CallRulesSchema.parse({});
const REGION_CODES = REGIONS.map((region) => region.code);
const COMMUNE_CODES = ["61001", "61196", "35238", "2A004", "97411", "00000", "99999"];

/** Every « choice » of the dossier's sections, pooled: a value valid for one field is a wrong one for another. */
const CHOICES = [...new Set([...keys(PARTNER_KINDS), ...keys(ZONINGS), ...keys(DAYS), ...keys(HALF_DAYS), ...keys(ACQUISITIONS), ...keys(COST_KINDS), ...keys(FUNDER_KINDS), ...COMMUNE_CODES])];
const LEAF_KINDS: Record<string, FieldKind> = { text: "text", choice: oneOf(CHOICES), integer: "integer", decimal: "integer", amount: "amount", boolean: oneOf(["true", "false"]), date: "date" };

/** The form names of a section as the page posts them (`partners.0.name`, `consultations.2`), two rows of each group. */
function sectionFields(section: keyof typeof SECTION_SPECS): Record<string, FieldKind> {
  const fields: Record<string, FieldKind> = {};
  const leaf = (spec: unknown): FieldKind => LEAF_KINDS[typeof spec === "string" ? spec : "text"] ?? "text";
  for (const [name, spec] of Object.entries(SECTION_SPECS[section])) {
    if (spec === "choices") fields[name] = oneOf(keys(SPECIALTIES));
    else if (typeof spec === "string") fields[name] = leaf(spec);
    else if ("fixed" in spec) for (let year = 0; year < rules.projectYears; year++) fields[`${name}.${year}`] = leaf(spec.fixed);
    else
      for (const row of [0, 1])
        for (const [field, fieldSpec] of Object.entries(spec.rows)) {
          if (typeof fieldSpec === "object" && fieldSpec !== null && "fixed" in fieldSpec) for (let year = 0; year < rules.projectYears; year++) fields[`${name}.${row}.${field}.${year}`] = leaf(fieldSpec.fixed);
          else fields[`${name}.${row}.${field}`] = leaf(fieldSpec);
        }
  }
  return fields;
}

/** An autosave body: broken JSON, JSON of the wrong shape, or the right shape with hostile values under the real field names. */
function autosaveBody(section: string): fc.Arbitrary<string> {
  const names = Object.keys(SECTION_SPECS[section as keyof typeof SECTION_SPECS] ?? {});
  const hostileJson = fc.oneof(hostileText, fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, true, -1, 1e308, [], {}, { __proto__: { admin: true } }), fc.array(fc.record({ code: fc.constantFrom(...COMMUNE_CODES), name: hostileText })));
  const data = fc.dictionary(fc.oneof({ arbitrary: fc.constantFrom(...names), weight: 5 }, { arbitrary: fc.constantFrom("__proto__", "constructor", "status", "engagement"), weight: 1 }), hostileJson, { maxKeys: names.length + 1 });
  const version = fc.oneof({ arbitrary: fc.constant<unknown>(DRAFT_VERSION), weight: 4 }, { arbitrary: fc.constantFrom<unknown>(0, -1, 1.5, 1e21, "1", null, 2 ** 31), weight: 1 });
  return fc.oneof(
    { arbitrary: fc.constantFrom("", "{", "null", "[]", '{"section":', '"porteur"', "{\"section\":\"porteur\",\"data\":[],\"version\":1}", "[".repeat(50_000), "\u0000"), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: hugeString.map((text) => JSON.stringify({ section, data: { projectTitle: text }, version: DRAFT_VERSION })), weight: 1 },
    {
      arbitrary: fc.record({ section: fc.oneof({ arbitrary: fc.constant(section), weight: 6 }, { arbitrary: fc.constantFrom(...SECTION_KEYS), weight: 1 }), data, version }).map((body) => JSON.stringify(body)),
      weight: 8,
    },
  );
}

const EVALUATION_FIELDS = (rubric: "ars" | "anct"): Record<string, FieldKind> =>
  Object.fromEntries(rules.rubrics[rubric].flatMap((criterion) => [[`scores.${criterion.code}.score`, oneOf(["0", "1", "2", "3", "4", "5", "6", "-1", "4.5"])], [`scores.${criterion.code}.justification`, "text" as FieldKind]]));

/** Mail templates that pass their placeholder check, besides the generated ones. */
const TEMPLATE_TEXT = (outcome: (typeof OUTCOMES)[number]) => oneOf([`Bonjour {{nom}}, décision pour {{reference}}.`, placeholdersFor(outcome).map((name) => `{{${name}}}`).join(" "), "{{montant}} {{rang}} {{motif}}", "{{inconnu}}", "{{nom"]);

const FILES = [
  { bytes: samplePdf(), name: "devis.pdf", type: "application/pdf" },
  { bytes: samplePng(), name: "plan.png", type: "image/png" },
  { bytes: sampleExe(), name: "devis.pdf", type: "application/pdf" },
  { bytes: sampleHtml(), name: "page.html", type: "text/html" },
  { bytes: new Uint8Array(), name: "vide.pdf", type: "application/pdf" },
];

function upload(ids: Ids): fc.Arbitrary<FuzzRequest> {
  const pieceCode = fc.oneof({ arbitrary: fc.constantFrom(...rules.pieces.map((piece) => piece.code)), weight: 6 }, { arbitrary: fc.oneof(strangeUnicode, markup, fc.constant("")), weight: 1 });
  const bytes = fc.oneof({ arbitrary: fc.constantFrom(...FILES), weight: 4 }, { arbitrary: fc.uint8Array({ maxLength: 4096 }).map((data) => ({ bytes: data, name: "donnees.bin", type: "application/octet-stream" })), weight: 1 });
  const name = fc.oneof({ arbitrary: fc.constant<string | null>(null), weight: 3 }, { arbitrary: fc.oneof(strangeUnicode, markup, fc.constantFrom("../../etc/passwd", "a".repeat(5000) + ".pdf", "CON.pdf", ".pdf")), weight: 1 });
  return fc
    .tuple(referenceSegment(ids, ids.draftReference), pieceCode, bytes, name, fc.constantFrom("application/json", "text/html"), formEntries({ intent: oneOf(["delete"]), other: "text" }))
    .map(([reference, code, file, fileName, accept, extra]) => ({
      path: `/dossiers/${reference}/pieces?piece=${encodeURIComponent(withoutLoneSurrogates(code))}`,
      upload: { ...file, name: fileName ?? file.name, extra },
      accept,
    }));
}

export const ACTION_FUZZ_SPECS: Record<string, ActionFuzzSpec> = {
  "admin._index.tsx": {
    person: "admin",
    requests: () => form(fc.constant("/admin"), { email: "email", name: "text", role: oneOf([...AGENT_ROLES, "applicant", "root"]), regionCode: oneOf([...REGION_CODES, "99", ""]) }),
  },
  "admin.utilisateurs.$id.tsx": {
    person: "admin",
    requests: (ids) =>
      form(
        segment(ids.victimId, [ids.userId, ids.missingId]).map((id) => `/admin/utilisateurs/${id}`),
        { role: oneOf([...AGENT_ROLES, "applicant"]), regionCode: oneOf([...REGION_CODES, "99"]), assignmentId: known(ids.victimAssignmentId, ids.missingId) },
        ["grant", "revoke", "disable", "enable"],
      ),
  },
  "compte.tsx": {
    person: "applicant",
    requests: () => form(fc.constant("/compte"), { currentPassword: oneOf(["correct-horse-battery"]), password: "password", confirmation: "password" }),
  },
  "connexion.tsx": {
    person: "anonymous",
    requests: (ids) => form(fc.constant("/connexion"), { email: known(ids.applicantEmail, ids.victimEmail), password: oneOf(["correct-horse-battery"]), redirectTo: oneOf(["/mon-espace", "//evil.example", "/\\evil.example", "https://evil.example", "/\t/evil.example"]) }),
  },
  "deconnexion.tsx": { person: "applicant", requests: () => form(fc.constant("/deconnexion"), { redirectTo: "text" }) },
  "dossiers.$reference.$section.tsx": {
    person: "applicant",
    requests: (ids) =>
      fc.oneof(
        fc.tuple(referenceSegment(ids, ids.draftReference), fc.constantFrom(...FORM_SECTIONS)).chain(([reference, section]) =>
          fc.oneof(
            autosaveBody(section).map((json): FuzzRequest => ({ path: `/dossiers/${reference}/${section}`, json })),
            form(fc.constant(`/dossiers/${reference}/${section}`), { ...sectionFields(section), version: oneOf([DRAFT_VERSION, "0", "1"]) }, [
              "save",
              "next",
              `goto:/dossiers/${ids.draftReference}/territoire`,
              "goto:https://evil.example",
              "add:partners",
              "add:costs",
              "remove:partners:0",
              "remove:costs:-1",
              "add-commune:61001",
              "add-commune:2A004",
            ]),
          ),
        ),
        segment("porteur", ["pieces", "engagement", "recapitulatif"]).map((section): FuzzRequest => ({ path: `/dossiers/${ids.draftReference}/${section}`, form: [["intent", "save"]] })),
      ),
  },
  "dossiers.$reference.messages.tsx": { person: "applicant", requests: (ids) => form(referenceSegment(ids).map((reference) => `/dossiers/${reference}/messages`), { body: "text" }) },
  "dossiers.$reference.pieces.tsx": {
    person: "applicant",
    requests: (ids) =>
      fc.oneof(
        upload(ids),
        form(referenceSegment(ids, ids.draftReference).map((reference) => `/dossiers/${reference}/pieces`), { pieceId: known(ids.draftPieceId, ids.pieceId, ids.missingId) }, ["delete"]),
      ),
  },
  "dossiers.$reference.recapitulatif.tsx": {
    person: "applicant",
    requests: (ids) =>
      form(
        referenceSegment(ids, ids.draftReference).map((reference) => `/dossiers/${reference}/recapitulatif`),
        { signatoryName: "text", signatoryCapacity: "text", attests: oneOf(["on", "true"]), version: oneOf([DRAFT_VERSION, "0"]) },
        ["submit", "engagement"],
      ),
  },
  "dossiers.$reference.retrait.tsx": {
    person: "applicant",
    requests: (ids) => form(referenceSegment(ids, ids.spareReference).map((reference) => `/dossiers/${reference}/retrait`), { motivation: "text", confirm: "checkbox" }),
  },
  "dossiers.nouveau.tsx": {
    person: "applicant",
    requests: (ids) => form(fc.constant("/dossiers/nouveau"), { organisationId: known(ids.organisationId, ids.otherOrganisationId, ids.missingId) }),
  },
  "inscription.tsx": { person: "anonymous", requests: (ids) => form(fc.constant("/inscription"), { name: "text", email: known(ids.applicantEmail), password: "password", confirmation: "password" }) },
  "instruction.affectations.tsx": {
    person: "arsOwnRegion",
    requests: (ids) => form(fc.constant("/instruction/affectations"), { rubric: oneOf([...RUBRICS, "ARS"]), waveId: known(ids.wave1Id, ids.wave2Id, ids.missingId) }),
  },
  "instruction.dossiers.$reference.evaluations.$rubric.tsx": {
    person: "arsOwnRegion",
    requests: (ids) =>
      form(
        fc.tuple(referenceSegment(ids), segment("ars", ["anct", "ARS"])).map(([reference, rubric]) => `/instruction/dossiers/${reference}/evaluations/${rubric}`),
        { ...EVALUATION_FIELDS("ars"), avis: oneOf([...EVALUATION_AVIS, "neutre"]), recommended: "amount", version: oneOf([EVALUATION_VERSION, "0"]), reason: "text" },
        ["save", "submit", "amend"],
      ),
  },
  "instruction.dossiers.$reference.evaluations._index.tsx": {
    person: "manager",
    requests: (ids) =>
      form(
        referenceSegment(ids).map((reference) => `/instruction/dossiers/${reference}/evaluations`),
        { reason: "text", rubric: oneOf([...RUBRICS, "autre"]), evaluatorId: known(ids.arsNormandie2Id, ids.arsBretagneId, ids.anctNationalId, ids.userId, ids.missingId) },
        ["conflict", "assign", "unassign"],
      ),
  },
  "instruction.dossiers.$reference.messages.tsx": {
    person: "arsOwnRegion",
    requests: (ids) => form(referenceSegment(ids).map((reference) => `/instruction/dossiers/${reference}/messages`), { body: "text" }),
  },
  "instruction.dossiers.$reference.notes.tsx": {
    person: "anctNational",
    requests: (ids) => form(referenceSegment(ids).map((reference) => `/instruction/dossiers/${reference}/notes`), { body: "text" }),
  },
  "instruction.dossiers.$reference.recevabilite.tsx": {
    person: "arsOwnRegion",
    requests: (ids) =>
      form(
        referenceSegment(ids).map((reference) => `/instruction/dossiers/${reference}/recevabilite`),
        { motivation: "text", confirm: "checkbox", sections: oneOf([...SECTION_KEYS, "statut"]), message: "text" },
        ["admit", "ineligible", "corrections"],
      ),
  },
  "invitation.tsx": { person: "anonymous", requests: () => form(fc.constant("/invitation"), { token: "token", password: "password", confirmation: "password" }) },
  "mot-de-passe-oublie.tsx": { person: "anonymous", requests: (ids) => form(fc.constant("/mot-de-passe-oublie"), { email: known(ids.applicantEmail, ids.victimEmail) }) },
  "organisations.$id.tsx": {
    person: "applicant",
    requests: (ids) =>
      form(
        segment(ids.organisationId, [ids.otherOrganisationId]).map((id) => `/organisations/${id}`),
        { email: known(ids.victimEmail, ids.applicantEmail), userId: known(ids.userId, ids.otherApplicantId, ids.missingId) },
        ["invite", "remove"],
      ),
  },
  "organisations.invitation.tsx": {
    person: "applicant",
    requests: () => form(fc.constant("/organisations/invitation"), { token: "token", name: "text", password: "password", confirmation: "password" }, ["join", "create"]),
  },
  "organisations.nouvelle.tsx": {
    person: "applicant",
    requests: () =>
      form(fc.constant("/organisations/nouvelle"), {
        kind: oneOf([...ORGANISATION_KINDS, "entreprise"]),
        name: "text",
        siret: oneOf(["73282932000074", "732 829 320 00074", "73282932000075", "123"]),
        seatCommuneCode: oneOf(COMMUNE_CODES),
        contactName: "text",
        contactEmail: "email",
        contactPhone: oneOf(["02 33 00 00 00", "+33 2 33 00 00 00", "abc"]),
        retour: oneOf(["/dossiers/nouveau", "//evil.example", "https://evil.example"]),
      }),
  },
  "programme.courriers._index.tsx": {
    person: "manager",
    requests: (ids) =>
      form(
        fc.constant("/programme/courriers"),
        {
          waveId: known(ids.wave2Id, ids.wave1Id, ids.missingId),
          ...Object.fromEntries(OUTCOMES.flatMap((outcome) => [[`${outcome}.subject`, TEMPLATE_TEXT(outcome)], [`${outcome}.body`, TEMPLATE_TEXT(outcome)]])),
          expected: "integer",
          confirm: "checkbox",
        },
        ["preview", "send"],
      ),
  },
  "programme.courriers.envois.$batchId.tsx": {
    person: "manager",
    // Past the role check, the manager finds no batch in the fixtures: the fuzz tries ids of every shape.
    policyOutcome: "404",
    requests: (ids) => form(segment(ids.missingId, ["not-a-uuid"]).map((id) => `/programme/courriers/envois/${id}`), { intent: "text" }),
  },
  "programme.dossiers.$reference.versements.tsx": {
    person: "manager",
    requests: (ids) =>
      form(referenceSegment(ids, ids.selectedReference).map((reference) => `/programme/dossiers/${reference}/versements`), { tranche: oneOf([...PAYMENT_TRANCHES, "bonus"]), amount: "amount", motivation: "text" }),
  },
  "programme.journal.tsx": { person: "manager", requests: () => form(fc.constant("/programme/journal"), { intent: "text", from: "date" }) },
  "programme.vagues.$numero._index.tsx": {
    person: "manager",
    requests: (ids) =>
      form(
        segment("2", ["1", "3", "0", "-1", "2.5"]).map((numero) => `/programme/vagues/${numero}`),
        { reference: known(ids.selectedReference, ids.reviewedReference, ids.reference, ids.otherReference), mode: oneOf([...OVERRIDE_MODES, "delete"]), amount: "amount", justification: "text", motivation: "text" },
        ["override", "reopen", "revoke", "promote"],
      ),
  },
  "programme.vagues.$numero.cloture.tsx": {
    person: "manager",
    requests: () => form(segment("1", ["2", "3", "0"]).map((numero) => `/programme/vagues/${numero}/cloture`), { motivation: "text" }),
  },
  "programme.vagues.$numero.configuration.tsx": {
    person: "manager",
    requests: () =>
      form(segment("2", ["1", "3"]).map((numero) => `/programme/vagues/${numero}/configuration`), {
        opensOn: "date",
        closesOn: "date",
        closingTime: "time",
        budget: "amount",
        busTarget: "integer",
        ...Object.fromEntries(["28", "53", "11"].map((code) => [quotaField(code), "integer" as FieldKind])),
      }),
  },
  "programme.vagues.$numero.decision.tsx": {
    person: "manager",
    requests: (ids) =>
      form(segment("2", ["1", "3"]).map((numero) => `/programme/vagues/${numero}/decision`), { fingerprint: "text", commonMotivation: "text", [`motivation-${ids.reviewedReference}`]: "text" }),
  },
  "programme.vagues._index.tsx": {
    person: "manager",
    requests: () => form(fc.constant("/programme/vagues"), { stateShareMin: "percent", stateShareMax: "percent", advanceShare: "percent" }, ["co-financing"]),
  },
  "reinitialiser-mot-de-passe.tsx": { person: "anonymous", requests: () => form(fc.constant("/reinitialiser-mot-de-passe"), { token: "token", password: "password", confirmation: "password" }) },
  "verifier-email.tsx": { person: "anonymous", requests: (ids) => form(fc.constant("/verifier-email"), { email: known(ids.applicantEmail, ids.victimEmail) }) },
};
