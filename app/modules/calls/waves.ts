import { z } from "zod";
import { REGIONS } from "~/modules/geo/regions";
import { parseEuros } from "~/utils/money";
import { waveClosing, waveOpening } from "./rules";

/**
 * The forms of the waves page, shared by the page (conform, in the browser) and the services:
 * a wave's dates, closing hour, budget, bus target and indicative quotas per région; the call's
 * co-financing rules. What only the database knows (the envelope, the ledger, the other waves)
 * is checked by the service, under the waves' locks (waves.server.ts).
 */

/** Field name of a région's quota: one flat field per région (`quota28`), so that conform never reads « 28 » as an array index. */
export const quotaField = (regionCode: string) => `quota${regionCode}`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const date = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .regex(DATE, "Saisissez une date au format jj/mm/aaaa.")
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), "Cette date n'existe pas.");

/** Euros as typed the French way (« 5 000 000 »), integer cents after parsing. */
const euros = (missing: string) =>
  z.string({ error: missing }).transform((value, context) => {
    if (value.trim() === "") {
      context.addIssue({ code: "custom", message: missing });
      return z.NEVER;
    }
    const parsed = parseEuros(value);
    if (!parsed.ok) {
      context.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.cents;
  });

/** A whole number typed in a field (« 50 », « 1 000 »). */
const wholeNumber = (missing: string, bounds: { min: number; max: number }, unit: string) =>
  z.string({ error: missing }).transform((value, context) => {
    const compact = value.replace(/[\s\u00a0\u202f]/g, "");
    if (compact === "") {
      context.addIssue({ code: "custom", message: missing });
      return z.NEVER;
    }
    if (!/^\d+$/.test(compact) || Number(compact) < bounds.min || Number(compact) > bounds.max) {
      context.addIssue({ code: "custom", message: `Saisissez un nombre entier de ${bounds.min} à ${new Intl.NumberFormat("fr-FR").format(bounds.max)} ${unit}.` });
      return z.NEVER;
    }
    return Number(compact);
  });

const optionalQuota = z
  .string()
  .optional()
  .transform((value, context) => {
    const compact = (value ?? "").replace(/[\s\u00a0\u202f]/g, "");
    if (compact === "") return null;
    if (!/^\d+$/.test(compact) || Number(compact) > 1000) {
      context.addIssue({ code: "custom", message: "Saisissez un nombre entier de médicobus (0 à 1 000), ou laissez vide." });
      return z.NEVER;
    }
    return Number(compact);
  });

const quotaShape = Object.fromEntries(REGIONS.map((region) => [quotaField(region.code), optionalQuota])) as Record<string, typeof optionalQuota>;

export const WaveConfigurationSchema = z
  .object({
    opensOn: date("Indiquez la date d'ouverture."),
    closesOn: date("Indiquez la date de clôture."),
    closingTime: z.string({ error: "Indiquez l'heure de clôture." }).trim().min(1, "Indiquez l'heure de clôture.").regex(TIME, "Saisissez une heure au format hh:mm, par exemple 12:00."),
    budget: euros("Indiquez le budget de la vague."),
    busTarget: wholeNumber("Indiquez l'objectif de médicobus de la vague.", { min: 1, max: 1000 }, "médicobus"),
    ...quotaShape,
  })
  .superRefine((value, context) => {
    // Cross-field checks only on fields that parsed: a field in error already has its message.
    if (value.budget === 0) context.addIssue({ code: "custom", path: ["budget"], message: "Le budget d'une vague doit être positif." });
    const dates = { opensOn: value.opensOn, closesOn: value.closesOn, closingTime: value.closingTime, timeZone: "Europe/Paris" };
    if ([dates.opensOn, dates.closesOn].every((day) => typeof day === "string" && DATE.test(day)) && TIME.test(dates.closingTime ?? "") && waveClosing(dates) <= waveOpening(dates)) {
      context.addIssue({ code: "custom", path: ["closesOn"], message: "La clôture doit être postérieure à l'ouverture." });
    }
    const quotas = REGIONS.reduce((sum, region) => {
      const quota = (value as Record<string, unknown>)[quotaField(region.code)];
      return sum + (typeof quota === "number" ? quota : 0);
    }, 0);
    if (typeof value.busTarget === "number" && quotas > value.busTarget) {
      context.addIssue({ code: "custom", path: ["busTarget"], message: `Les quotas régionaux totalisent ${quotas} médicobus : plus que l'objectif de la vague (${value.busTarget}).` });
    }
  })
  .transform((value) => {
    const record = value as Record<string, unknown>;
    const regionBusQuotas: Record<string, number> = {};
    for (const region of REGIONS) {
      const quota = record[quotaField(region.code)];
      if (typeof quota === "number") regionBusQuotas[region.code] = quota;
    }
    return { opensOn: value.opensOn, closesOn: value.closesOn, closingTime: value.closingTime, budgetCents: value.budget, busTarget: value.busTarget, regionBusQuotas };
  });
export type WaveConfiguration = z.output<typeof WaveConfigurationSchema>;

/** A percentage typed the French way (« 30 », « 33,5 »). */
const percent = (missing: string) =>
  z.string({ error: missing }).transform((value, context) => {
    const compact = value.replace(/[\s\u00a0\u202f%]/g, "").replace(",", ".");
    if (compact === "") {
      context.addIssue({ code: "custom", message: missing });
      return z.NEVER;
    }
    if (!/^\d+(\.\d{1,2})?$/.test(compact) || Number(compact) > 100) {
      context.addIssue({ code: "custom", message: "Saisissez un pourcentage de 0 à 100, par exemple 30 ou 33,5." });
      return z.NEVER;
    }
    return Number(compact);
  });

export const CoFinancingSchema = z
  .object({
    stateShareMin: percent("Indiquez la part minimale de l'État."),
    stateShareMax: percent("Indiquez la part maximale de l'État."),
    advanceShare: percent("Indiquez la part versée en avance."),
  })
  .superRefine((value, context) => {
    if (typeof value.stateShareMin !== "number" || typeof value.stateShareMax !== "number") return;
    if (value.stateShareMax < value.stateShareMin) context.addIssue({ code: "custom", path: ["stateShareMax"], message: "La part maximale doit être au moins égale à la part minimale." });
    if (value.stateShareMax === 0) context.addIssue({ code: "custom", path: ["stateShareMax"], message: "La part maximale de l'État doit être positive." });
  })
  .transform((value) => ({ stateSharePercent: { min: value.stateShareMin, max: value.stateShareMax }, advanceSharePercent: value.advanceShare }));
export type CoFinancing = z.output<typeof CoFinancingSchema>;
