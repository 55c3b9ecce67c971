import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { applicationEvents, applicationPieces, applications, ApplicationStatus, evaluationAssignments, evaluations, OrganisationKind, Rubric } from "~db/schema";
import { canonicalJson } from "~/modules/audit/chain";
import type { FormData } from "~/modules/applications/form";
import { derivedColumns } from "~/modules/applications/service.server";
import type { CallRules, Criterion } from "~/modules/calls/schema";
import { findCommune, type Commune } from "~/modules/geo/communes.server";
import { consolidate, evaluationScore } from "~/modules/instruction/scoring";
import { luhnValid } from "~/modules/organisations/siret";

/*
 * The generators shared by the demo dossiers (db/seed/demo-dossiers.ts) and the volume seed
 * (scripts/seed-volume.ts): one way to make an organisation, a territory of real communes, a
 * complete form that passes the call's rules, the row of a submitted dossier and the scores of
 * its evaluations. Everything is drawn from a seeded generator, so the same seed gives the same
 * data; the figures the portal derives (population, départements, région, costs, scores) are
 * computed by the portal's own code, never recomputed here.
 */

export const DAY_MS = 86_400_000;

/** A small seeded generator (mulberry32): fast, and the same sequence for the same seed. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    /** A version-4 shaped UUID from the generator, so that ids are deterministic too. */
    uuid() {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
      hex[12] = "4";
      hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
      const s = hex.join("");
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
    /** `count` distinct items, in the order drawn. */
    sample<T>(items: readonly T[], count: number): T[] {
      const pool = [...items];
      const chosen: T[] = [];
      while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
      return chosen;
    },
  };
}
export type Random = ReturnType<typeof createRandom>;

/** A user id shaped like the ones the portal gives (lucia's 16 base32 characters), from the generator. */
export function userIdFor(random: Random) {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  return Array.from({ length: 16 }, () => alphabet[random.int(0, 31)]).join("");
}

/** Crockford base32 without I, L, O, U, like the references the portal draws (applications/service.server.ts). */
const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** « MB-2024-7KQ2XD »: the shape of a real reference, drawn from the generator. */
export function referenceFor(random: Random, year: number) {
  return `MB-${year}-${Array.from({ length: 6 }, () => REFERENCE_ALPHABET[random.int(0, REFERENCE_ALPHABET.length - 1)]).join("")}`;
}

// ---------------------------------------------------------------------------------------------
// Geography: intercommunalities (EPCI) of the official geographic code, as realistic territories.

export interface Intercommunality {
  /** The EPCI's SIREN. */
  code: string;
  name: string;
  regionCode: string;
  departementCode: string;
  /** Member communes (COG), largest first. */
  communes: Array<Commune & { siren: string }>;
}

interface RawEpci {
  code: string;
  nom: string;
  type: string;
  membres: Array<{ code: string; siren: string }>;
}

interface RawDepartement {
  code: string;
  nom: string;
  chefLieu: string;
  typeLiaison: number;
}

const OVERSEAS_REGIONS = new Set(["01", "02", "03", "04", "06"]);
let intercommunalities: Map<string, Intercommunality[]> | null = null;
let departements: Map<string, RawDepartement> | null = null;
const require = createRequire(import.meta.url);

/**
 * The communautés de communes (rural intercommunalities, where médicobus go; agglomerations
 * overseas) lying in one région,
 * with at least four member communes, by région code. Read once from the COG files that the geo
 * module reads; each commune is then taken from the geo module itself.
 */
export function ruralIntercommunalities(regionCode: string): Intercommunality[] {
  if (!intercommunalities) {
    intercommunalities = new Map();
    for (const raw of require("@etalab/decoupage-administratif/data/epci.json") as RawEpci[]) {
      // Overseas, the rural territories belong to agglomerations (CA): there are almost no CC.
      if ((raw.type !== "CC" && raw.type !== "CA") || raw.membres.length < 4) continue;
      const communes = raw.membres.flatMap((member) => {
        const commune = findCommune(member.code);
        return commune ? [{ ...commune, siren: member.siren }] : [];
      });
      const regions = new Set(communes.map((commune) => commune.regionCode));
      if (communes.length < 4 || regions.size !== 1) continue;
      communes.sort((a, b) => b.population - a.population || a.code.localeCompare(b.code));
      const region = communes[0].regionCode;
      if (raw.type === "CA" && !OVERSEAS_REGIONS.has(region)) continue;
      const entry = { code: raw.code, name: raw.nom, regionCode: region, departementCode: communes[0].departementCode, communes };
      intercommunalities.set(region, [...(intercommunalities.get(region) ?? []), entry]);
    }
  }
  return intercommunalities.get(regionCode) ?? [];
}

function departement(code: string): RawDepartement {
  departements ??= new Map((require("@etalab/decoupage-administratif/data/departements.json") as RawDepartement[]).map((d) => [d.code, d]));
  const found = departements.get(code);
  if (!found) throw new Error(`Unknown département ${code}`);
  return found;
}

/** « de l'Orne », « du Cantal », « de la Manche », « des Landes », « de Paris »: the COG's liaison type. */
export function ofDepartement(code: string) {
  const { nom, typeLiaison } = departement(code);
  const article = ["de ", "d'", "du ", "de la ", "des ", "de l'", "des ", "de las ", "de los "][typeLiaison] ?? "de ";
  return `${article}${nom}`;
}

/** « d'Alençon », « de Mortagne-au-Perche ». */
export function ofPlace(name: string) {
  return /^[AEIOUYÉÈÊÎÔH]/i.test(name) ? `d'${name}` : `de ${name}`;
}

/** « Collines du Perche » for « CC des Collines du Perche »: the name a project takes from its territory. */
export function shortIntercommunalityName(name: string) {
  return name
    .replace(/^(CC|CA|Communauté de communes|Communauté d'agglomération)\s+/i, "")
    .replace(/^(?:du|de la|des|de)\s+|^(?:de l'|d'|l')/i, "")
    .replace(/\s*\(.*\)$/, "")
    .trim();
}

/** The town a territory is organised around: an intercommunality's largest commune. */
const BOURG_CENTRE_MAX_POPULATION = 15_000;

/**
 * `size` communes of an intercommunality, rural ones first (the smaller 80 %), with the
 * bourg-centre when it is a small town: a médicobus serves the villages, not the city, so towns
 * above BOURG_CENTRE_MAX_POPULATION are left out unless the intercommunality has nothing else.
 */
export function territoryOf(random: Random, epci: Intercommunality, size: number) {
  const [bourg, ...others] = epci.communes;
  const small = others.filter((commune) => commune.population <= BOURG_CENTRE_MAX_POPULATION);
  const rural = small.slice(Math.floor(small.length * 0.2));
  const withBourg = bourg.population <= BOURG_CENTRE_MAX_POPULATION;
  const wanted = withBourg ? size - 1 : size;
  const chosen = random.sample(rural.length >= wanted ? rural : small, wanted);
  if (withBourg) return [bourg, ...chosen];
  // Only towns: the smallest of them.
  return chosen.length > 0 ? chosen : [epci.communes[epci.communes.length - 1]];
}

// ---------------------------------------------------------------------------------------------
// Organisations.

/** A 14-digit SIRET with a valid Luhn key: the SIREN (9 digits), an establishment number, the key. */
export function siretOf(siren: string, establishment = 1) {
  const base = `${siren}${String(establishment).padStart(4, "0")}`;
  for (let key = 0; key <= 9; key++) if (luhnValid(`${base}${key}`)) return `${base}${key}`;
  throw new Error("unreachable: one of ten keys satisfies Luhn");
}

/** A SIREN (9 digits, valid Luhn key) starting with `prefix` (22 for a département, 7 or 8 for an association…). */
export function sirenWith(random: Random, prefix: string) {
  const body = `${prefix}${Array.from({ length: 8 - prefix.length }, () => random.int(0, 9)).join("")}`;
  for (let key = 0; key <= 9; key++) if (luhnValid(`${body}${key}`)) return `${body}${key}`;
  throw new Error("unreachable");
}

const FIRST_NAMES = ["Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Anne", "Claire", "Sophie", "Élodie", "Camille", "Julie", "Lucie", "Jean", "Philippe", "Pierre", "Michel", "Alain", "Nicolas", "Laurent", "Thomas", "Julien", "Antoine", "Hugo", "Louis", "Yann", "Gaëlle", "Soizic", "Mathieu", "Céline", "Hélène"];
const LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Roux", "Fournier", "Morel", "Girard", "Lemoine", "Le Goff", "Guérin", "Faure", "Chevalier", "Perrin", "Mercier", "Blanc", "Lambert", "Bonnet", "Rousseau"];

export function personName(random: Random) {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

/** « cpts-des-collines-du-perche »: for the demo e-mail addresses. */
export function slug(text: string) {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40)
    .replace(/-$/, "");
}

export interface OrganisationDraft {
  kind: OrganisationKind;
  name: string;
  siret: string;
  seatCommuneCode: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  /** Who signs the dossier's commitment, and as what. */
  signatoryCapacity: string;
}

/** Sponsors of the call (DESIGN.md): CPTS, health centres, and the local authorities. */
export const SPONSOR_KINDS = ["cpts", "cpts", "cpts", "centre_sante", "msp", "commune", "commune", "epci", "epci", "departement"] as const satisfies readonly OrganisationKind[];

/** An organisation of `kind` on the territory of `epci` (seat: its bourg-centre, or the chef-lieu for a département). */
export function organisationFor(random: Random, kind: OrganisationKind, epci: Intercommunality, emailDomain: string): OrganisationDraft {
  const bourg = epci.communes[0];
  const area = shortIntercommunalityName(epci.name);
  const contactName = personName(random);
  const by: Record<string, { name: string; siren: string; seat: string; capacity: string }> = {
    cpts: { name: `CPTS ${random.chance(0.5) ? `du pays ${ofPlace(bourg.name)}` : `${area}`}`, siren: sirenWith(random, "8"), seat: bourg.code, capacity: "Président de la CPTS" },
    centre_sante: { name: `Centre de santé intercommunal ${ofPlace(bourg.name)}`, siren: sirenWith(random, "7"), seat: bourg.code, capacity: "Directrice du centre de santé" },
    msp: { name: `Maison de santé pluriprofessionnelle ${ofPlace(bourg.name)}`, siren: sirenWith(random, "8"), seat: bourg.code, capacity: "Présidente de la SISA" },
    commune: { name: `Commune ${ofPlace(bourg.name)}`, siren: bourg.siren, seat: bourg.code, capacity: "Maire" },
    epci: { name: epci.name, siren: epci.code, seat: bourg.code, capacity: "Président de la communauté de communes" },
    departement: { name: `Département ${ofDepartement(epci.departementCode)}`, siren: sirenWith(random, `22${epci.departementCode.replace(/\D/g, "0").padStart(2, "0").slice(0, 2)}`), seat: departement(epci.departementCode).chefLieu, capacity: "Président du conseil départemental" },
  };
  const chosen = by[kind] ?? by.cpts;
  return {
    kind,
    name: chosen.name,
    siret: siretOf(chosen.siren, random.int(1, 40)),
    seatCommuneCode: chosen.seat,
    contactName,
    contactEmail: `${slug(contactName)}.${slug(chosen.name)}@${emailDomain}`,
    contactPhone: `0${random.int(1, 5)} ${Array.from({ length: 4 }, () => String(random.int(10, 99))).join(" ")}`,
    signatoryCapacity: chosen.capacity,
  };
}

// ---------------------------------------------------------------------------------------------
// The dossier's form: complete, and within the call's money rules.

const DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"] as const;
const HALF_DAYS = ["matin", "apres_midi"] as const;
const VEHICLES = ["Camping-car aménagé en cabinet médical", "Fourgon de 12 m³ aménagé (cabinet et salle d'attente)", "Poids lourd de 19 t à deux cabinets", "Minibus aménagé en cabinet de consultation"];
const EQUIPMENT = [
  "Table d'examen électrique, électrocardiogramme, rétinographe, réfrigérateur à vaccins, connexion satellite au dossier médical partagé",
  "Table d'examen, ECG connecté, spiromètre, appareil d'échographie portable, téléconsultation assistée",
  "Deux postes de consultation, matériel de petite chirurgie, défibrillateur, chaîne du froid pour les vaccins",
];
const TITLES = ["Médicobus", "Cabinet médical itinérant", "Santé sur la route", "Médecin en tournée"];

export interface FormSpec {
  organisation: OrganisationDraft;
  epci: Intercommunality;
  communes: Commune[];
  /** The State subsidy asked for, in integer cents (whole euros). */
  requestedCents: number;
  /** The State share of the total cost, e.g. 0.42; the total cost follows from it. */
  stateShare: number;
  projectYears: number;
  today: string;
}

const euros = (value: number) => Math.round(value / 100) * 100;

/** The budget section: costs over the project's years summing to the total cost, cofinancing covering the rest. */
export function budgetFor(random: Random, spec: Pick<FormSpec, "requestedCents" | "stateShare" | "projectYears" | "organisation" | "epci">) {
  const years = spec.projectYears;
  const total = euros(spec.requestedCents / spec.stateShare);
  const vehicle = euros(total * (0.42 + random.next() * 0.14));
  const equipment = euros(total * (0.07 + random.next() * 0.05));
  const running = total - vehicle - equipment;
  const fuel = euros(running * (0.3 + random.next() * 0.1));
  const spread = (amount: number) => {
    const each = euros(amount / years);
    return Array.from({ length: years }, (_, year) => (year === years - 1 ? amount - each * (years - 1) : each));
  };
  const zeros = (first: number) => Array.from({ length: years }, (_, year) => (year === 0 ? first : 0));
  const costs = [
    { kind: "investissement" as const, label: "Véhicule aménagé (châssis, carrosserie, cabinet)", amounts: zeros(vehicle) },
    { kind: "investissement" as const, label: "Équipement médical et informatique", amounts: zeros(equipment) },
    { kind: "fonctionnement" as const, label: "Carburant, entretien et assurance du véhicule", amounts: spread(fuel) },
    { kind: "fonctionnement" as const, label: "Chauffeur-assistant médical et coordination", amounts: spread(running - fuel) },
  ];
  const rest = total - spec.requestedCents;
  const local = euros(rest * (0.35 + random.next() * 0.25));
  const cofinancing = [
    { funder: spec.organisation.kind === "epci" || spec.organisation.kind === "departement" ? spec.organisation.name : spec.epci.name, kind: "collectivite" as const, amount: local },
    { funder: `CPAM ${ofDepartement(spec.epci.departementCode)}`, kind: "assurance_maladie" as const, amount: rest - local },
  ];
  return { costs, cofinancing, requested: spec.requestedCents };
}

/** A complete form for the spec: every section valid under the call's `complete` schemas. */
export function formDataFor(random: Random, spec: FormSpec): FormData {
  const area = shortIntercommunalityName(spec.epci.name);
  const population = spec.communes.reduce((total, commune) => total + commune.population, 0);
  const withoutDoctor = Math.max(50, Math.round(population * (0.08 + random.next() * 0.1)));
  const slots = random.sample(DAYS.flatMap((day) => HALF_DAYS.map((halfDay) => ({ day, halfDay }))), Math.min(10, Math.max(spec.communes.length, random.int(4, 8))));
  const tourPlan = slots.map((slot, index) => ({ ...slot, communeCode: spec.communes[index % spec.communes.length].code }));
  const first = random.int(25, 60) * 100;
  const doctors = random.int(4, 14);
  const partners = [
    { name: spec.epci.name, kind: "collectivite" as const, role: "Accueil du médicobus et cofinancement", commitment: "Met à disposition une salle d'attente chauffée et un emplacement raccordé dans chaque commune de la tournée." },
    { name: `CPAM ${ofDepartement(spec.epci.departementCode)}`, kind: "cpam" as const, role: "Cofinanceur et repérage des patients", commitment: "Finance une partie du fonctionnement et signale les patients en ALD sans médecin traitant." },
    ...(random.chance(0.6) ? [{ name: `Centre hospitalier ${ofPlace(spec.epci.communes[0].name)}`, kind: "hopital" as const, role: "Avis spécialisés et télé-expertise", commitment: "Assure la télé-expertise en cardiologie et dermatologie et l'orientation des urgences." }] : []),
  ];
  return {
    porteur: {
      projectTitle: `${random.pick(TITLES)} ${area}`.slice(0, 150),
      summary: `Un cabinet médical itinérant pour ${spec.communes.length} communes ${area.startsWith("Pays") ? "du " + area : `de ${area}`}, où ${withoutDoctor.toLocaleString("fr-FR")} patients n'ont plus de médecin traitant. Porté par ${spec.organisation.name}, il passe chaque semaine à heure fixe dans chaque commune, en lien avec les professionnels de santé du territoire.`,
      partners,
    },
    territoire: {
      communes: spec.communes.map((commune, index) => ({ code: commune.code, zoning: index === 0 ? "zac" : random.chance(0.75) ? "zip" : random.chance(0.7) ? "zac" : "hors_zonage" })),
      patientsWithoutDoctor: withoutDoctor,
      ofWhichAld: Math.round(withoutDoctor * (0.18 + random.next() * 0.17)),
    },
    projet: {
      specialties: random.chance(0.3) ? ["medecine_generale", random.pick(["gynecologie", "pediatrie", "ophtalmologie", "dentaire"] as const)] : ["medecine_generale"],
      doctors,
      doctorsFte: Math.min(doctors, random.int(3, 8) / 2),
      medicalAssistants: random.int(1, 3),
      coordinator: random.chance(0.8),
      tourPlan,
      consultations: Array.from({ length: spec.projectYears }, (_, year) => first + year * random.int(5, 20) * 100),
      cptsCoordination: `Réunion mensuelle avec la CPTS ; les médecins du médicobus adressent aux professionnels du territoire et partagent le dossier médical (DMP).`,
      emergencyReferral: `Protocole avec le SAMU ${spec.epci.departementCode} et le service des urgences le plus proche ; défibrillateur à bord.`,
    },
    vehicule: {
      acquisition: random.chance(0.7) ? "achat" : "location",
      vehicleType: random.pick(VEHICLES),
      accessiblePmr: random.chance(0.85),
      equipment: random.pick(EQUIPMENT),
      deliveryDate: new Date(Date.parse(`${spec.today}T00:00:00Z`) + random.int(60, 240) * DAY_MS).toISOString().slice(0, 10),
    },
    budget: budgetFor(random, spec),
    engagement: { signatoryName: personName(random), signatoryCapacity: spec.organisation.signatoryCapacity, attests: true },
  };
}

/** A State share within the call's band, away from its edges (the figures an applicant would type). */
export function stateShareWithin(random: Random, band: CallRules["stateSharePercent"]) {
  const low = band.min + (band.max - band.min) * 0.3;
  const high = band.max - (band.max - band.min) * 0.1;
  return (low + random.next() * (high - low)) / 100;
}

// ---------------------------------------------------------------------------------------------
// Rows of a dossier: derived columns and the submission snapshot, as the services compute them.

export interface PieceRow {
  pieceCode: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
}

/** What submitDossier stores: the snapshot (pieces by code) and its SHA-256. */
export function submissionOf(reference: string, formData: FormData, pieces: readonly PieceRow[]) {
  const sorted = [...pieces].sort((a, b) => (a.pieceCode < b.pieceCode ? -1 : a.pieceCode > b.pieceCode ? 1 : 0));
  const snapshot = { reference, formData, pieces: sorted.map(({ pieceCode, fileName, sha256, sizeBytes }) => ({ pieceCode, fileName, sha256, sizeBytes })) };
  return { submittedData: snapshot, submittedHash: createHash("sha256").update(canonicalJson(snapshot)).digest("hex") };
}

/**
 * A one-page PDF standing in for a pièce justificative, so that a demo dossier's pieces open.
 * Helvetica in WinAnsi covers French accents; the text says plainly what the file is.
 */
export function placeholderPdf(title: string): Uint8Array {
  const escape = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);
  const lines = [title, "Document de démonstration du Portail Médicobus.", "Il remplace la pièce réelle d'un dossier fictif."];
  const content = lines.map((line, index) => `BT /F1 ${index === 0 ? 18 : 12} Tf 72 ${740 - index * 28} Td (${escape(line)}) Tj ET`).join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, "latin1"));
}

export function sha256Hex(bytes: Uint8Array) {
  return createHash("sha256").update(bytes).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Evaluations: marks for a rubric, their justifications, and the consolidation.

/** Marks 0–5 for each criterion around a quality (0–1), with some spread between criteria. */
export function marksFor(random: Random, criteria: readonly Pick<Criterion, "code">[], quality: number, spread = 0.8) {
  return Object.fromEntries(criteria.map((criterion) => [criterion.code, Math.max(1, Math.min(5, Math.round(quality * 5 + (random.next() * 2 - 1) * spread)))]));
}

const NOTES: Record<string, string> = {
  besoin_territorial: "Appréciation fondée sur le nombre de patients sans médecin traitant, la part en ALD et le zonage des communes.",
  projet_medical: "Fréquence des passages, offre de soins et coordination avec la CPTS examinées sur le plan de tournée.",
  partenariats: "Lettres d'engagement des partenaires jointes au dossier.",
  viabilite_economique: "Plan de financement sur trois ans et cofinancements examinés.",
  ressources_humaines: "Équipe médicale et temps de coordination décrits dans le projet.",
  ruralite_couverture: "Communes desservies rapportées à la grille communale de densité.",
  france_ruralites: "Cohérence avec le contrat de ruralité du territoire.",
  mobilisation_collectivites: "Implication des communes et de l'intercommunalité (accueil, financement).",
  perennite: "Poursuite envisagée au-delà des trois ans du financement de l'État.",
};

/** The evaluation's content as submitEvaluation stores it: marks with justifications, and the weighted score. */
export function evaluationContent(criteria: readonly Criterion[], marks: Record<string, number>) {
  const scores = Object.fromEntries(
    criteria.map((criterion) => [criterion.code, { score: marks[criterion.code], justification: `${criterion.descriptors[marks[criterion.code]]}. ${NOTES[criterion.code] ?? "Appréciation fondée sur le dossier déposé et ses pièces."}` }]),
  );
  return { scores, weightedScore: evaluationScore(criteria, marks) };
}

/** The avis an evaluator gives with a score (hundredths): favourable from 65, reserved from 45. */
export function avisFor(weightedScore: number) {
  return weightedScore >= 6500 ? ("favorable" as const) : weightedScore >= 4500 ? ("reserve" as const) : ("defavorable" as const);
}

/** The dossier's consolidated columns from one evaluation per rubric (scoring.ts). */
export function consolidationOf(scores: Record<Rubric, number>, rules: Pick<CallRules, "rubricWeights" | "scoreGapThreshold">) {
  return consolidate({ ars: [scores.ars], anct: [scores.anct] }, rules)!;
}

// ---------------------------------------------------------------------------------------------
// One dossier's rows, step by step as the services would write them.

export interface DossierIdentity {
  id: string;
  reference: string;
  callId: string;
  waveId: string;
  organisationId: string;
  ownerId: string;
  formData: FormData;
  createdAt: Date;
}

/**
 * Builds the rows of one dossier by replaying its life: created, submitted with its pieces,
 * moved through the life cycle (one history row per transition, the version bumped as the
 * services bump it), evaluated, consolidated. The caller chooses the path and the times; the
 * builder writes what the services would write for it.
 */
export function dossierBuilder(random: Random, rules: CallRules, identity: DossierIdentity) {
  const { id: applicationId, reference, formData, ownerId, createdAt } = identity;
  const rows = {
    events: [] as Array<typeof applicationEvents.$inferInsert>,
    pieces: [] as Array<typeof applicationPieces.$inferInsert>,
    assignments: [] as Array<typeof evaluationAssignments.$inferInsert>,
    evaluations: [] as Array<typeof evaluations.$inferInsert>,
  };
  let status: ApplicationStatus = "draft";
  // createDraft writes version 1; each section saved bumps it.
  let version = 1 + Object.keys(formData).length;
  let updatedAt = new Date(createdAt.getTime() + random.int(60, 60 * 24 * 5) * 60_000);
  let submission: (ReturnType<typeof submissionOf> & { submittedAt: Date }) | null = null;
  let scores: ReturnType<typeof consolidationOf> | null = null;
  let reopenedSections: string[] = [];
  const requestedCents = formData.budget?.requested ?? 0;
  rows.events.push({ applicationId, actorId: ownerId, event: "create", toStatus: "draft", data: {}, createdAt });

  const builder = {
    get status() {
      return status;
    },
    get scores() {
      return scores;
    },
    rows,
    /** A transition of the life cycle: the history row, the status, the version. */
    transition(to: ApplicationStatus, event: string, actorId: string, at: Date, details: { motivation?: string; data?: Record<string, unknown> } = {}) {
      rows.events.push({ applicationId, actorId, event, fromStatus: status, toStatus: to, motivation: details.motivation ?? null, data: details.data ?? {}, createdAt: at });
      status = to;
      version += 1;
      updatedAt = at;
      return builder;
    },
    /** The pieces uploaded before `at`, then the submission: snapshot, hash, routing to the région. */
    submit(at: Date, pieces: readonly PieceRow[]) {
      // Uploaded while the dossier was being filled, between its creation and its submission.
      for (const piece of pieces) rows.pieces.push({ applicationId, ...piece, uploadedBy: ownerId, createdAt: new Date(createdAt.getTime() + (at.getTime() - createdAt.getTime()) * (0.2 + random.next() * 0.7)) });
      submission = { ...submissionOf(reference, formData, pieces), submittedAt: at };
      return builder.transition("submitted", "submit", ownerId, at, { data: { submittedHash: submission.submittedHash, regionCode: derivedColumns(formData).regionCode } });
    },
    /** An ARS correction request reopening some sections. */
    requestChanges(actorId: string, at: Date, sections: string[], message: string) {
      reopenedSections = sections;
      return builder.transition("changes_requested", "request_changes", actorId, at, { motivation: message, data: { sections } });
    },
    assign(rubric: Rubric, evaluatorId: string, assignedBy: string, at: Date) {
      rows.assignments.push({ applicationId, rubric, evaluatorId, assignedBy, assignedAt: at, dueAt: new Date(at.getTime() + rules.evaluationDueDays * DAY_MS) });
      return builder;
    },
    /** A submitted evaluation; most evaluators recommend the amount asked for, some a rounded 90 % of it. */
    evaluate(rubric: Rubric, evaluatorId: string, marks: Record<string, number>, at: Date) {
      const content = evaluationContent(rules.rubrics[rubric], marks);
      const recommendedCents = random.chance(0.3) ? Math.floor((requestedCents * 0.9) / 1000_00) * 1000_00 : requestedCents;
      rows.evaluations.push({ applicationId, rubric, evaluatorId, scores: content.scores, avis: avisFor(content.weightedScore), recommendedCents, status: "submitted", weightedScore: content.weightedScore, submittedAt: at, version: 1, createdAt: new Date(at.getTime() - random.int(30, 600) * 60_000), updatedAt: at });
      return content.weightedScore;
    },
    /** Both rubrics evaluated: the consolidation (scoring.ts) and « Instruit », by the last evaluator. */
    completeReview() {
      const submitted = rows.evaluations.filter((row) => row.status === "submitted");
      const last = submitted.reduce((latest, row) => (row.submittedAt! > latest.submittedAt! ? row : latest));
      const of = (rubric: Rubric) => submitted.filter((row) => row.rubric === rubric).map((row) => row.weightedScore!);
      scores = consolidate({ ars: of("ars"), anct: of("anct") }, rules)!;
      return builder.transition("reviewed", "complete_review", last.evaluatorId, last.submittedAt!);
    },
    /** The dossier's row, with the columns a save derives and what submission and consolidation stored. */
    application(): typeof applications.$inferInsert {
      return {
        id: applicationId,
        reference,
        callId: identity.callId,
        waveId: identity.waveId,
        organisationId: identity.organisationId,
        status,
        formData,
        version,
        reopenedSections,
        ...derivedColumns(formData),
        ...(submission ?? {}),
        ...(scores ?? {}),
        lastSavedBy: ownerId,
        createdBy: ownerId,
        createdAt,
        updatedAt,
      };
    },
  };
  return builder;
}

/** Inserts rows in batches (one multi-row INSERT per `size` rows): thousands of rows in a few statements. */
export async function insertInBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>, size = 1000) {
  for (let start = 0; start < rows.length; start += size) await insert(rows.slice(start, start + size) as T[]);
}
