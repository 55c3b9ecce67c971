import { useEffect, useState } from "react";
import { formatDateTime } from "~/modules/calls/time";
import { countdownText, deadlineElsewhere, isLastHour } from "./DeadlineText";

export interface OverseasDeadline {
  /** « à La Réunion » */
  place: string;
  timeZone: string;
  /** « 15:00 », or « le 5 janvier 2027 à 20:30 » when the date differs from Paris. */
  time: string;
}

/**
 * « Date limite : 6 janvier 2027 à 12:00 (heure de Paris) », with the overseas territory's time
 * (computed on the server from the communes served) and the reader's own time when their
 * browser's clock differs. In the last week, a countdown refreshed every minute; it is announced
 * to screen readers only in the last hour.
 *
 * The first render uses the server's clock so that hydration matches; the browser's clock and
 * time zone take over once mounted.
 */
export function DeadlineNotice({
  closesAt,
  serverNow,
  overseas,
  countdown,
}: {
  closesAt: string;
  serverNow: string;
  overseas: OverseasDeadline[];
  /** Whether the deadline still concerns this dossier (a draft): then the countdown shows. */
  countdown: boolean;
}) {
  const deadline = new Date(closesAt);
  const [now, setNow] = useState(() => Date.parse(serverNow));
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  useEffect(() => {
    setNow(Date.now());
    setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? null);
    if (!countdown) return;
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, [countdown]);

  const local = browserZone && !overseas.some((item) => item.timeZone === browserZone) ? deadlineElsewhere(deadline, browserZone) : null;
  const remaining = deadline.getTime() - now;
  const remainingText = countdown ? countdownText(remaining) : null;
  return (
    <div className="fr-mb-2w">
      <p className="fr-mb-1v">
        <span className="fr-icon-calendar-line fr-icon--sm fr-mr-1v" aria-hidden="true" />
        Date limite : <strong>{formatDateTime(deadline)}</strong> (heure de Paris)
        {overseas.map((item) => (
          <span key={item.timeZone}>
            , soit {item.time} {item.place}
          </span>
        ))}
        {local ? <span>, soit {local} à votre heure locale</span> : null}
      </p>
      {remainingText ? (
        <p className="fr-mb-0 fr-text--bold" aria-live={isLastHour(remaining) ? "polite" : "off"} aria-atomic="true">
          <span className="fr-icon-time-line fr-icon--sm fr-mr-1v" aria-hidden="true" />
          {remainingText}
        </p>
      ) : null}
    </div>
  );
}
