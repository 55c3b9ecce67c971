import { formatClock, formatDateTime, zonedToday } from "~/modules/calls/time";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The countdown appears in the last week before a deadline, when it starts to matter. */
export const COUNTDOWN_WINDOW_MS = 7 * DAY;

function unit(count: number, singular: string) {
  return count === 0 ? null : `${count} ${singular}${count > 1 ? "s" : ""}`;
}

/**
 * « Il reste 2 jours et 3 heures », then « 5 heures et 12 minutes », then « 42 minutes »: two units
 * at most, rounded down, so it never promises more time than there is. Null outside the last week.
 */
export function countdownText(remainingMs: number): string | null {
  if (remainingMs > COUNTDOWN_WINDOW_MS) return null;
  if (remainingMs <= 0) return "La date limite est passée";
  const days = Math.floor(remainingMs / DAY);
  const hours = Math.floor((remainingMs % DAY) / HOUR);
  const minutes = Math.floor((remainingMs % HOUR) / MINUTE);
  const parts = (days > 0 ? [unit(days, "jour"), unit(hours, "heure")] : [unit(hours, "heure"), unit(minutes, "minute")]).filter(Boolean);
  return parts.length === 0 ? "Il reste moins d'une minute" : `Il reste ${parts.join(" et ")}`;
}

/** In the last hour the countdown is announced to screen readers as it changes; before, it would be noise. */
export function isLastHour(remainingMs: number) {
  return remainingMs > 0 && remainingMs <= HOUR;
}

/**
 * The deadline on another wall clock: « 08:00 » the same day as in Paris, « le 5 janvier 2027 à
 * 23:30 » when the date differs. Null when that clock shows the same time as Paris.
 */
export function deadlineElsewhere(closesAt: Date, timeZone: string): string | null {
  if (formatDateTime(closesAt, timeZone) === formatDateTime(closesAt, "Europe/Paris")) return null;
  if (zonedToday(timeZone, closesAt) !== zonedToday("Europe/Paris", closesAt)) return `le ${formatDateTime(closesAt, timeZone)}`;
  return formatClock(closesAt, timeZone);
}

/** How French names each overseas département (« à La Réunion », « en Guadeloupe »), by its code. */
export const OVERSEAS_PLACES: Record<string, string> = {
  "971": "en Guadeloupe",
  "972": "en Martinique",
  "973": "en Guyane",
  "974": "à La Réunion",
  "976": "à Mayotte",
};
