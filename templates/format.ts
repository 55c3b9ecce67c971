import { formatDateTime } from "~/modules/calls/time";
import { formatEuros, formatInteger } from "~/utils/format";

/**
 * Marianne has no glyph for U+202F (narrow no-break space), which Intl puts between thousands
 * (« 80 000 € ») and which French keyboards on macOS type before « ; : ! ? ». Drawn as is it
 * leaves a hole; U+00A0 keeps the same no-break meaning with a glyph the font has.
 */
export function pdfText(value: string) {
  return value.replace(/\u202f/g, "\u00a0");
}

/** Applies pdfText to every string of a document's data, so no field can be forgotten. */
export function pdfSafe<T>(value: T): T {
  if (typeof value === "string") return pdfText(value) as T;
  if (Array.isArray(value)) return value.map(pdfSafe) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, pdfSafe(item)])) as T;
  }
  return value;
}

export const pdfEuros = (cents: number) => pdfText(formatEuros(cents));
export const pdfInteger = (value: number) => pdfText(formatInteger(value));

const percent = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
export const pdfPercent = (value: number) => `${pdfText(percent.format(value))}\u00a0%`;

/** « 15 mars 2024 à 11:42 (heure de Paris) »: deadlines and filings are Paris wall-clock times. */
export const pdfParisDateTime = (iso: string) => `${pdfText(formatDateTime(new Date(iso), "Europe/Paris"))} (heure de Paris)`;

/** « 123 456 789 00012 »: the SIREN groups then the establishment number, as INSEE prints it. */
export function pdfSiret(siret: string) {
  return /^\d{14}$/.test(siret) ? `${siret.slice(0, 3)}\u00a0${siret.slice(3, 6)}\u00a0${siret.slice(6, 9)}\u00a0${siret.slice(9)}` : siret;
}

/** The file name a decision letter is downloaded and attached under (here, so that naming it does not load the PDF renderer). */
export const decisionLetterFileName = (reference: string) => `decision-${reference}.pdf`;
