import { fieldId, type DraftSections, type FormData as DossierFormData } from "~/modules/applications/form";
import { centsToInput, parseEuros } from "~/utils/money";

/**
 * The dossier's section forms as the page holds them: every value a string, as typed (« 120 000,50 »,
 * « 3,5 »), rows with a stable key. One description per section (SECTION_SPECS) drives the three
 * conversions, so that the page with JavaScript (autosave) and without (a plain POST) send the
 * server exactly the same thing:
 *   stored data ──rawFromData──▶ raw ──sectionDataFromRaw──▶ what saveSection validates
 *   posted form ──rawFromFormData──▶ raw
 * The zod schemas of the section (form.ts) stay the only judges of what is valid.
 */

export const FORM_SECTIONS = ["porteur", "territoire", "projet", "vehicule", "budget"] as const;
export type FormSectionKey = (typeof FORM_SECTIONS)[number];

export function isFormSection(value: string | undefined): value is FormSectionKey {
  return FORM_SECTIONS.includes(value as FormSectionKey);
}

/** A commune as the search (/api/communes) and the page show it. */
export interface CommuneOption {
  code: string;
  name: string;
  departementCode: string;
  postalCodes: string[];
  population: number;
}

type Leaf = "text" | "choice" | "integer" | "decimal" | "amount" | "boolean" | "date";
type FieldSpec = Leaf | "choices" | { fixed: Leaf } | { rows: Record<string, Leaf | { fixed: Leaf }> };

export const SECTION_SPECS = {
  porteur: {
    projectTitle: "text",
    summary: "text",
    partners: { rows: { name: "text", kind: "choice", role: "text", commitment: "text" } },
  },
  territoire: {
    communes: { rows: { code: "text", zoning: "choice" } },
    patientsWithoutDoctor: "integer",
    ofWhichAld: "integer",
  },
  projet: {
    specialties: "choices",
    otherSpecialty: "text",
    doctors: "integer",
    doctorsFte: "decimal",
    medicalAssistants: "integer",
    coordinator: "boolean",
    tourPlan: { rows: { day: "choice", halfDay: "choice", communeCode: "choice" } },
    // One figure per year of the project (the call's projectYears).
    consultations: { fixed: "integer" },
    cptsCoordination: "text",
    emergencyReferral: "text",
  },
  vehicule: {
    acquisition: "choice",
    vehicleType: "text",
    accessiblePmr: "boolean",
    equipment: "text",
    deliveryDate: "date",
  },
  budget: {
    costs: { rows: { kind: "choice", label: "text", amounts: { fixed: "amount" } } },
    cofinancing: { rows: { funder: "text", kind: "choice", amount: "amount" } },
    requested: "amount",
  },
} as const satisfies Record<FormSectionKey, Record<string, FieldSpec>>;

type RawOf<S> = {
  -readonly [K in keyof S]: S[K] extends Leaf
    ? string
    : S[K] extends "choices"
      ? string[]
      : S[K] extends { fixed: Leaf }
        ? string[]
        : S[K] extends { rows: infer R }
          ? Array<{ key: string } & RawOf<R>>
          : never;
};

/** What the page holds for each section. */
export type SectionRaw = { [K in FormSectionKey]: RawOf<(typeof SECTION_SPECS)[K]> };
/** The repeatable groups of a section (partners, communes, tourPlan, costs, cofinancing). */
export type RowGroup<K extends FormSectionKey> = {
  [G in keyof SectionRaw[K]]: SectionRaw[K][G] extends Array<{ key: string }> ? G : never;
}[keyof SectionRaw[K]] &
  string;
export type RowOf<K extends FormSectionKey, G extends RowGroup<K>> = SectionRaw[K][G] extends Array<infer R> ? R : never;

type Untyped = Record<string, unknown>;
type UntypedRow = { key: string } & Untyped;

const specOf = (section: FormSectionKey) => SECTION_SPECS[section] as Record<string, FieldSpec>;
const isRows = (spec: FieldSpec): spec is { rows: Record<string, Leaf | { fixed: Leaf }> } => typeof spec === "object" && "rows" in spec;
const isFixed = (spec: FieldSpec): spec is { fixed: Leaf } => typeof spec === "object" && "fixed" in spec;

/** The name of an input: `costs.0.amounts.1`. Its id is `fieldId(section, path)`: `budget-costs-0-amounts-1`. */
export function inputName(path: ReadonlyArray<string | number>) {
  return path.join(".");
}

export function inputId(section: FormSectionKey, path: ReadonlyArray<string | number>) {
  return fieldId(section, path);
}

// ── stored data → raw ────────────────────────────────────────────────────────────────────────

function leafToRaw(kind: Leaf, value: unknown): string {
  if (value === null || value === undefined) return "";
  switch (kind) {
    case "amount":
      return typeof value === "number" ? centsToInput(value) : String(value);
    case "integer":
    case "decimal":
      return typeof value === "number" ? String(value).replace(".", ",") : String(value);
    case "boolean":
      return value === true ? "true" : value === false ? "false" : "";
    default:
      return String(value);
  }
}

function fixedToRaw(kind: Leaf, value: unknown, length: number): string[] {
  const values = Array.isArray(value) ? value : [];
  return Array.from({ length }, (_, index) => leafToRaw(kind, values[index]));
}

function fieldToRaw(spec: FieldSpec, value: unknown, projectYears: number): unknown {
  if (spec === "choices") return Array.isArray(value) ? value.map(String) : [];
  if (isFixed(spec)) return fixedToRaw(spec.fixed, value, projectYears);
  if (isRows(spec)) {
    const rows = Array.isArray(value) ? value : [];
    return rows.map((row: Untyped, index) => rowToRaw(spec.rows, row, projectYears, `r${index}`));
  }
  return leafToRaw(spec, value);
}

function rowToRaw(spec: Record<string, Leaf | { fixed: Leaf }>, row: Untyped | undefined, projectYears: number, key: string): UntypedRow {
  const raw: UntypedRow = { key };
  for (const [name, fieldSpec] of Object.entries(spec)) raw[name] = fieldToRaw(fieldSpec, row?.[name], projectYears);
  return raw;
}

export function rawFromData<K extends FormSectionKey>(section: K, data: DossierFormData[K] | undefined, projectYears: number): SectionRaw[K] {
  const raw: Untyped = {};
  const stored = (data ?? {}) as Untyped;
  for (const [name, spec] of Object.entries(specOf(section))) raw[name] = fieldToRaw(spec, stored[name], projectYears);
  return raw as SectionRaw[K];
}

let newRowCount = 0;

/** An empty row of a group, with a key of its own (the page adds it at the end). */
export function emptyRow<K extends FormSectionKey, G extends RowGroup<K>>(section: K, group: G, projectYears: number, values: Partial<RowOf<K, G>> = {}): RowOf<K, G> {
  const spec = specOf(section)[group];
  if (!isRows(spec)) throw new Error(`${section}.${group} is not a repeatable group`);
  newRowCount += 1;
  return { ...rowToRaw(spec.rows, undefined, projectYears, `n${newRowCount}`), ...values } as RowOf<K, G>;
}

// ── posted form → raw ────────────────────────────────────────────────────────────────────────

/** The most rows a posted form is read for: above every group's maximum in the schemas. */
const MAX_POSTED_ROWS = 200;

function posted(form: globalThis.FormData, name: string) {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function rowIndexes(form: globalThis.FormData, group: string) {
  const indexes = new Set<number>();
  const pattern = new RegExp(`^${group}\\.(\\d{1,3})\\.`);
  for (const name of form.keys()) {
    const match = pattern.exec(name);
    if (match && Number(match[1]) < MAX_POSTED_ROWS) indexes.add(Number(match[1]));
  }
  return [...indexes].sort((a, b) => a - b);
}

function fieldFromForm(spec: FieldSpec, form: globalThis.FormData, name: string, projectYears: number): unknown {
  if (spec === "choices") return form.getAll(name).filter((value): value is string => typeof value === "string");
  if (isFixed(spec)) return Array.from({ length: projectYears }, (_, index) => posted(form, `${name}.${index}`));
  if (isRows(spec)) {
    return rowIndexes(form, name).map((index) => {
      const row: UntypedRow = { key: `r${index}` };
      for (const [field, fieldSpec] of Object.entries(spec.rows)) row[field] = fieldFromForm(fieldSpec, form, `${name}.${index}.${field}`, projectYears);
      return row;
    });
  }
  return posted(form, name);
}

/** The raw section from a form posted without JavaScript (rows renumbered in their order). */
export function rawFromFormData<K extends FormSectionKey>(section: K, form: globalThis.FormData, projectYears: number): SectionRaw[K] {
  const raw: Untyped = {};
  for (const [name, spec] of Object.entries(specOf(section))) raw[name] = fieldFromForm(spec, form, name, projectYears);
  return raw as SectionRaw[K];
}

// ── raw → what the server validates ──────────────────────────────────────────────────────────

/** « 1 200 » → 1200, « 3,5 » → 3.5; anything else is sent as typed, for the schema to refuse in French. */
function numberOrTyped(raw: string): number | string | null {
  const compact = raw.replace(/[\s\u00a0\u202f]/g, "");
  if (compact === "") return null;
  return /^-?\d+([.,]\d+)?$/.test(compact) ? Number(compact.replace(",", ".")) : raw;
}

function leafToData(kind: Leaf, raw: string): unknown {
  switch (kind) {
    case "integer":
    case "decimal":
      return numberOrTyped(raw);
    // Amounts go as typed: the schema reads French amounts into cents (and says why it cannot).
    case "amount":
      return raw;
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : undefined;
    default:
      return raw.trim() === "" ? undefined : raw;
  }
}

function isBlank(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isBlank);
  return typeof value !== "string" || value.trim() === "";
}

function fieldToData(spec: FieldSpec, raw: unknown): unknown {
  if (spec === "choices") return raw;
  if (isFixed(spec)) return (raw as string[]).map((value) => leafToData(spec.fixed, value));
  if (isRows(spec)) throw new Error("rows are converted by sectionDataFromRaw");
  return leafToData(spec, raw as string);
}

/**
 * What the page sends to saveSection, and for each repeatable group which row of the page each
 * sent row is. Rows left entirely empty are not sent: a row just added is not yet an error (a
 * tour slot needs its commune), and an empty row carries nothing worth keeping.
 */
export function sectionDataFromRaw<K extends FormSectionKey>(section: K, raw: SectionRaw[K]) {
  const data: Untyped = {};
  const rowsSent: Record<string, number[]> = {};
  for (const [name, spec] of Object.entries(specOf(section))) {
    const value = (raw as Untyped)[name];
    if (!isRows(spec)) {
      data[name] = fieldToData(spec, value);
      continue;
    }
    rowsSent[name] = [];
    data[name] = (value as UntypedRow[]).flatMap((row, index) => {
      const fields = Object.entries(spec.rows);
      if (fields.every(([field]) => isBlank(row[field]))) return [];
      rowsSent[name].push(index);
      return [Object.fromEntries(fields.map(([field, fieldSpec]) => [field, fieldToData(fieldSpec, row[field])]))];
    });
  }
  return { data, rowsSent };
}

/** The server's field errors (keyed by the sent rows' indexes) keyed by the rows of the page. */
export function errorsForPage(section: FormSectionKey, fieldErrors: Record<string, string[]>, rowsSent: Record<string, number[]>) {
  const errors: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(fieldErrors)) {
    let pageKey = key;
    for (const [group, indexes] of Object.entries(rowsSent)) {
      const match = new RegExp(`^${section}-${group}-(\\d+)(-.*)?$`).exec(key);
      if (match && indexes[Number(match[1])] !== undefined) pageKey = `${section}-${group}-${indexes[Number(match[1])]}${match[2] ?? ""}`;
    }
    (errors[pageKey] ??= []).push(...messages);
  }
  return errors;
}

// ── figures computed on the page ─────────────────────────────────────────────────────────────

const centsOrNull = (typed: string) => {
  const parsed = parseEuros(typed);
  return parsed.ok ? parsed.cents : null;
};

/** The budget as the rules of rules.ts read it, from what is typed (an unreadable amount counts as nothing). */
export function budgetFromRaw(raw: SectionRaw["budget"]): Partial<DraftSections["budget"]> {
  return {
    costs: raw.costs.map((line) => ({
      kind: line.kind === "investissement" || line.kind === "fonctionnement" ? line.kind : undefined,
      label: line.label,
      amounts: line.amounts.map(centsOrNull),
    })),
    cofinancing: raw.cofinancing.map((line) => ({ funder: line.funder, kind: undefined, amount: centsOrNull(line.amount) })),
    requested: centsOrNull(raw.requested),
  };
}

// ── the buttons of the form, posted without JavaScript ───────────────────────────────────────

const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;

/**
 * What « Ajouter … », « Supprimer … » and a search result's « Ajouter » do when the form is
 * posted without JavaScript (`add:partners`, `remove:costs:2`, `add-commune:61001`): the same
 * change the page makes with it. Anything else leaves the section as posted.
 */
export function applyRowIntent<K extends FormSectionKey>(section: K, raw: SectionRaw[K], intent: string, projectYears: number): SectionRaw[K] {
  const [action, group, argument] = intent.split(":");
  const spec = specOf(section);
  const values = raw as unknown as Record<string, UntypedRow[]>;
  if (action === "add-commune" && section === "territoire" && COMMUNE_CODE.test(group ?? "")) {
    const communes = values.communes;
    if (communes.some((row) => row.code === group)) return raw;
    return { ...raw, communes: [...communes, emptyRow("territoire", "communes", projectYears, { code: group })] };
  }
  if (!group || !(group in spec) || !isRows(spec[group])) return raw;
  const rows = values[group];
  if (action === "add") return { ...raw, [group]: [...rows, emptyRow(section, group as RowGroup<K>, projectYears)] };
  if (action === "remove") return { ...raw, [group]: rows.filter((_, index) => index !== Number(argument)) };
  return raw;
}
