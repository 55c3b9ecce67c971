import { createHash } from "node:crypto";
import { type ReceiptData } from "./receipt";

const PIECE_LABELS = [
  "Délibération de la collectivité",
  "Budget prévisionnel sur 3 ans",
  "Lettre d’engagement de la CPAM",
  "Convention avec la CPTS",
  "Plan de tournée hebdomadaire",
  "Devis du véhicule aménagé",
];

/** Stable digests, so samples are the same from run to run. */
const sha256 = (seed: string) => createHash("sha256").update(seed).digest("hex");

/** « Lettre d’engagement de la CPAM » → « lettre-d-engagement-de-la-cpam », as uploaded files are often named. */
const slug = (label: string) =>
  label
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");

/**
 * A realistic receipt (the Orne Est reference project of the call), used by the tests, the
 * benchmark and anyone who wants to look at the layout. `piecesCount` lengthens the pieces list.
 */
export function sampleReceipt(overrides: Partial<ReceiptData> = {}, piecesCount = PIECE_LABELS.length): ReceiptData {
  return {
    reference: "MDB-2024-NOR-00042",
    submittedAt: "2024-03-15T10:42:17.000Z",
    callTitle: "Appel à projets « 100 médicobus »",
    waveTitle: "Vague 1 — premier trimestre 2024",
    closesAt: "2024-03-29T11:00:00.000Z",
    organisation: {
      name: "Communauté de communes des Vallées d’Auge et du Merlerault",
      siret: "20006999900017",
      kindLabel: "EPCI (intercommunalité)",
      seatCommune: "Gacé (61230)",
    },
    projectTitle: "Médicobus Orne Est : consultations itinérantes sur 7 communes, 5 jours sur 7",
    regionName: "Normandie",
    departements: ["Orne (61)", "Calvados (14)"],
    communesCount: 7,
    populationCovered: 12_450,
    totalCostCents: 20_000_000,
    requestedCents: 8_000_000,
    stateSharePercent: 40,
    signatory: { name: "Élisabeth Lefèvre-Hébert", capacity: "Présidente de la communauté de communes" },
    pieces: Array.from({ length: piecesCount }, (_, index) => ({
      label: PIECE_LABELS[index % PIECE_LABELS.length] + (index >= PIECE_LABELS.length ? ` (${Math.floor(index / PIECE_LABELS.length) + 1})` : ""),
      fileName: `${String(index + 1).padStart(2, "0")}_${slug(PIECE_LABELS[index % PIECE_LABELS.length])}.pdf`,
      sha256: sha256(`piece ${index + 1}`),
    })),
    contentSha256: sha256("MDB-2024-NOR-00042"),
    submittedBy: "Jeanne Martin",
    ...overrides,
  };
}
