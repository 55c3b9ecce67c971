const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
const eurosWithCents = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
const integers = new Intl.NumberFormat("fr-FR");
// Intl formatters are costly to build: one per format, for the process.
const percents = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

/** « 10 000 000 € » from integer cents; cents are shown only when there are some. */
export function formatEuros(cents: number) {
  return cents % 100 === 0 ? euros.format(cents / 100) : eurosWithCents.format(cents / 100);
}

export function formatInteger(value: number) {
  return integers.format(value);
}

/** « 12,5 % » from 12.5 (one decimal at most). */
export function formatPercent(value: number) {
  return `${percents.format(value)} %`;
}
