import type { CSSProperties } from "react";
import { formatPercent, gaugeShares } from "~/modules/programme/gauge";
import { formatEuros, formatInteger } from "~/utils/format";

/**
 * The segments a gauge can show. Each has its own fill AND its own texture (solid, hatched,
 * plain with a border), and each is named with its figure in the legend next to the bar: the
 * colour is never the only thing that tells them apart. DSFR variables, so the dark theme follows.
 */
export const SEGMENT_STYLES = {
  paid: { background: "var(--background-action-high-blue-france)" },
  unpaid: {
    background: "repeating-linear-gradient(135deg, var(--background-action-high-blue-france) 0 3px, var(--background-action-low-blue-france) 3px 8px)",
  },
  remaining: { background: "var(--background-default-grey)" },
} as const satisfies Record<string, CSSProperties>;

export type SegmentKind = keyof typeof SEGMENT_STYLES;

export interface GaugeSegment {
  kind: SegmentKind;
  label: string;
  /** The figure, written (« 120 000 € », « 12 médicobus »). */
  figure: string;
  percent: string;
  width: number;
}

/** A small square of a segment's fill, for legends. */
export function Swatch({ kind }: { kind: SegmentKind }) {
  return (
    <span
      aria-hidden="true"
      style={{ ...SEGMENT_STYLES[kind], display: "inline-block", width: "1rem", height: "1rem", marginRight: "0.5rem", verticalAlign: "-0.15rem", border: "1px solid var(--border-plain-grey)" }}
    />
  );
}

/**
 * A stacked bar with its legend: the bar is one image whose text alternative sums it up; the
 * legend below writes each segment's figure and share, which is what a reader without the
 * colours, or without sight, reads.
 */
export function Gauge({ title, summary, headline, segments, warning, details }: { title: string; summary: string; headline: string; segments: readonly GaugeSegment[]; warning?: string | null; details?: string | null }) {
  return (
    <div className="fr-mb-4w">
      <h3 className="fr-h6 fr-mb-1w">{title}</h3>
      <p className="fr-mb-1w">{headline}</p>
      <div role="img" aria-label={summary} style={{ display: "flex", height: "1.75rem", border: "1px solid var(--border-plain-grey)", background: SEGMENT_STYLES.remaining.background }}>
        {segments
          .filter((segment) => segment.width > 0)
          .map((segment) => (
            <span key={segment.kind} style={{ ...SEGMENT_STYLES[segment.kind], width: `${segment.width}%`, borderRight: segment.kind === "remaining" ? undefined : "1px solid var(--background-default-grey)" }} />
          ))}
      </div>
      <ul className="fr-raw-list fr-mt-1w" style={{ display: "flex", flexWrap: "wrap", columnGap: "1.5rem", rowGap: "0.25rem" }}>
        {segments.map((segment) => (
          <li key={segment.kind} className="fr-text--sm fr-mb-0">
            <Swatch kind={segment.kind} />
            {segment.label} : <strong>{segment.figure}</strong> ({segment.percent})
          </li>
        ))}
      </ul>
      {details ? <p className="fr-text--xs fr-mt-1w fr-mb-0">{details}</p> : null}
      {warning ? (
        <p className="fr-message fr-message--warning fr-mt-1w" role="note">
          {warning}
        </p>
      ) : null}
    </div>
  );
}

export interface MoneyBalance {
  budgetCents: number;
  carriedInCents: number;
  carriedOutCents: number;
  availableCents: number;
  committedCents: number;
  paidCents: number;
  remainingCents: number;
}

/** A wave's or the programme's envelope: paid | committed not paid | remaining, in euros and %. */
export function EnvelopeGauge({ title, balance }: { title: string; balance: MoneyBalance }) {
  const shares = gaugeShares({ paid: balance.paidCents, committed: balance.committedCents, available: balance.availableCents });
  const unpaidCents = Math.max(0, balance.committedCents - balance.paidCents);
  const remainingCents = Math.max(0, balance.remainingCents);
  const committedPercent = formatPercent(shares.committedPercent);
  const carried = [
    balance.carriedInCents > 0 ? `${formatEuros(balance.carriedInCents)} reçus en report` : null,
    balance.carriedOutCents > 0 ? `${formatEuros(balance.carriedOutCents)} reportés vers la vague suivante` : null,
  ].filter(Boolean);
  return (
    <Gauge
      title={title}
      headline={`${formatEuros(balance.committedCents)} engagés sur ${formatEuros(balance.availableCents)} (${committedPercent}), dont ${formatEuros(balance.paidCents)} versés.`}
      summary={`${title} : ${formatEuros(balance.paidCents)} versés, ${formatEuros(unpaidCents)} engagés non versés, ${formatEuros(remainingCents)} restant à engager, sur ${formatEuros(balance.availableCents)}.`}
      segments={[
        { kind: "paid", label: "Versé", figure: formatEuros(balance.paidCents), percent: formatPercent(shares.paidPercent), width: shares.paidWidth },
        { kind: "unpaid", label: "Engagé non versé", figure: formatEuros(unpaidCents), percent: formatPercent(shares.unpaidPercent), width: shares.unpaidWidth },
        { kind: "remaining", label: "Reste à engager", figure: formatEuros(remainingCents), percent: formatPercent(shares.over ? 0 : shares.remainingPercent), width: shares.remainingWidth },
      ]}
      details={carried.length > 0 ? `Disponible : budget de ${formatEuros(balance.budgetCents)}, ${carried.join(", ")}.` : null}
      warning={shares.over ? `Les engagements dépassent le disponible de ${formatEuros(balance.committedCents - balance.availableCents)}.` : null}
    />
  );
}

/** Buses funded against the target: funded | remaining, in buses and %. */
export function BusGauge({ title, funded, target }: { title: string; funded: number; target: number }) {
  const shares = gaugeShares({ paid: 0, committed: funded, available: target });
  const remaining = Math.max(0, target - funded);
  const buses = (count: number) => `${formatInteger(count)} médicobus`;
  return (
    <Gauge
      title={title}
      headline={`${buses(funded)} financés sur un objectif de ${formatInteger(target)} (${formatPercent(shares.committedPercent)}).`}
      summary={`${title} : ${buses(funded)} financés, ${buses(remaining)} restant à financer, sur un objectif de ${formatInteger(target)}.`}
      segments={[
        { kind: "paid", label: "Financés", figure: buses(funded), percent: formatPercent(shares.committedPercent), width: shares.unpaidWidth + shares.paidWidth },
        { kind: "remaining", label: "Restant à financer", figure: buses(remaining), percent: formatPercent(shares.over ? 0 : shares.remainingPercent), width: shares.remainingWidth },
      ]}
      warning={shares.over ? `L'objectif est dépassé de ${buses(funded - target)}.` : null}
    />
  );
}
