const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
const eurosWithCents = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
const integers = new Intl.NumberFormat("fr-FR");

/** « 10 000 000 € » from integer cents; cents are shown only when there are some. */
export function formatEuros(cents: number) {
  return cents % 100 === 0 ? euros.format(cents / 100) : eurosWithCents.format(cents / 100);
}

export function formatInteger(value: number) {
  return integers.format(value);
}
