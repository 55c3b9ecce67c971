/**
 * The arithmetic of the dashboard's gauges, pure: a stacked bar « versé | engagé non versé |
 * reste » over what a wave (or the programme) may commit. The widths are what is drawn and
 * always fit the bar; the percentages are the true figures written next to it, so an
 * overspent or empty envelope is said in words even where the bar cannot show it.
 */

export interface GaugeFigures {
  /** Paid out of the commitments. */
  paid: number;
  /** Committed (paid included). */
  committed: number;
  /** What may be committed in all: the budget, or the bus target. */
  available: number;
}

export interface GaugeShares {
  /** Widths to draw, in percent of the bar; they add up to 100, or to 0 when there is nothing to show. */
  paidWidth: number;
  unpaidWidth: number;
  remainingWidth: number;
  /** True shares of what is available; null when nothing is available (no division by zero). */
  paidPercent: number | null;
  unpaidPercent: number | null;
  committedPercent: number | null;
  remainingPercent: number | null;
  /** More is committed than is available: the bar is drawn against the commitments and the page says so. */
  over: boolean;
}

export function gaugeShares({ paid, committed, available }: GaugeFigures): GaugeShares {
  const unpaid = Math.max(0, committed - paid);
  const remaining = Math.max(0, available - committed);
  const over = committed > available;
  // Drawn against the larger of the two, so that an overspent envelope still fits the bar.
  const scale = Math.max(available, committed, paid);
  const width = (part: number) => (scale > 0 ? (part / scale) * 100 : 0);
  const share = (part: number) => (available > 0 ? (part / available) * 100 : null);
  return {
    paidWidth: width(paid),
    unpaidWidth: width(unpaid),
    remainingWidth: width(remaining),
    paidPercent: share(paid),
    unpaidPercent: share(unpaid),
    committedPercent: share(committed),
    remainingPercent: share(available - committed),
    over,
  };
}

const percent = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1 });

/**
 * « 37,5 % » from a share in percent. A share that is not zero never reads « 0 % » and one that
 * is not full never reads « 100 % » (a gauge at 99,96 % is not a spent envelope).
 */
export function formatPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const rounded = Math.round(value * 10) / 10;
  if (value > 0 && rounded === 0) return `moins de ${percent.format(0.001)}`;
  if (value < 100 && rounded >= 100) return `plus de ${percent.format(0.999)}`;
  return percent.format(rounded / 100);
}
