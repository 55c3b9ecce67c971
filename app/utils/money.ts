/**
 * Amounts are integer cents everywhere; people type euros the French way (« 120 000,50 € »).
 * Ceiling: €100M, far above any médicobus project, so an absurd figure is refused, not stored.
 */
export const MAX_AMOUNT_CENTS = 100_000_000_00;

export type ParsedAmount = { ok: true; cents: number } | { ok: false; message: string };

export function parseEuros(input: string): ParsedAmount {
  const compact = input.replace(/[\s\u00a0\u202f€]/g, "");
  if (compact === "") return { ok: false, message: "Saisissez un montant." };
  if (compact.startsWith("-")) return { ok: false, message: "Le montant ne peut pas être négatif." };
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return { ok: false, message: "Saisissez un montant en euros, par exemple 120 000 ou 120 000,50." };
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
  if (!Number.isSafeInteger(cents) || cents > MAX_AMOUNT_CENTS) {
    return { ok: false, message: "Le montant est trop élevé (100 000 000 € au plus)." };
  }
  return { ok: true, cents };
}

/** « 120 000,50 » — the figure as typed back into an input (no currency sign). */
export function centsToInput(cents: number) {
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  const grouped = new Intl.NumberFormat("fr-FR").format(euros).replace(/\u202f/g, " ");
  return rest === 0 ? grouped : `${grouped},${String(rest).padStart(2, "0")}`;
}
