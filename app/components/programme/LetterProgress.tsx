import { formatInteger } from "~/utils/format";

/**
 * One bar of the sending's progress: role="progressbar" with its figures for assistive
 * technologies (aria-valuenow, and the sentence as aria-valuetext), the same figures written
 * above it for everyone (LetterProgress.css).
 */
export function ProgressBar({ id, label, value, max }: { id: string; label: string; value: number; max: number }) {
  const percent = max === 0 ? 100 : Math.min(100, Math.round((value / max) * 100));
  const text = `${formatInteger(value)} / ${formatInteger(max)} ${label}`;
  return (
    <div className="fr-mb-3w">
      <p id={id} className="fr-mb-1v fr-text--bold">
        {text}
      </p>
      <div role="progressbar" aria-labelledby={id} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} aria-valuetext={text} className="mb-progress">
        <div className="mb-progress__value" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
