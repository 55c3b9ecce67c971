/**
 * Wall-clock deadlines. A wave closes « le 15 mars 2024 à 12:00, heure de Paris »: the instant
 * depends on the time zone's offset that day (UTC+1 in winter, UTC+2 in summer), so it is
 * computed with the time-zone database that Intl carries, never with a fixed offset.
 */

/**
 * Building an Intl.DateTimeFormat loads the locale and time-zone data: it costs far more than
 * formatting with it (a list of dossiers, each with its deadline, spent most of its time there).
 * One formatter per kind and time zone, built on first use and kept for the life of the process.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: string, locale: string, options: Intl.DateTimeFormatOptions & { timeZone: string }) {
  const key = `${kind}|${options.timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

function offsetMinutes(instant: number, timeZone: string) {
  const parts = formatter("offset", "en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * Instants already computed, by wall time and zone: a page lists many dossiers of few waves, and
 * each dossier's deadline is the same few wave closings. Bounded: emptied when full.
 */
const instants = new Map<string, number>();
const INSTANTS_KEPT = 1000;

/** The instant at which the wall clock of `timeZone` shows `date` (YYYY-MM-DD) at `time` (HH:MM). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const key = `${date}T${time}|${timeZone}`;
  const known = instants.get(key);
  if (known !== undefined) return new Date(known);
  const [year, month, day] = date.split("-").map(Number);
  const [hour, minute] = time.split(":").map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // First guess with the offset at the wall time read as UTC, then correct once: this lands
  // on the right side of a daylight-saving change.
  const first = wall - offsetMinutes(wall, timeZone) * 60_000;
  const instant = wall - offsetMinutes(first, timeZone) * 60_000;
  if (instants.size >= INSTANTS_KEPT) instants.clear();
  instants.set(key, instant);
  return new Date(instant);
}

/** Today's date (YYYY-MM-DD) on the wall clock of `timeZone`. */
export function zonedToday(timeZone: string, now = new Date()): string {
  return formatter("today", "en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** « 15 mars 2024 à 12:00 » in the given zone. */
export function formatDateTime(instant: Date, timeZone = "Europe/Paris") {
  return formatter("dateTime", "fr-FR", { timeZone, dateStyle: "long", timeStyle: "short" }).format(instant);
}

/** « 08:00 »: the time of an instant on the wall clock of `timeZone`. */
export function formatClock(instant: Date, timeZone = "Europe/Paris") {
  return formatter("clock", "fr-FR", { timeZone, timeStyle: "short" }).format(instant);
}

/** « 15 mars 2024 »: the day of an instant on the wall clock of `timeZone`. */
export function formatDay(instant: Date, timeZone = "Europe/Paris") {
  return formatter("day", "fr-FR", { timeZone, dateStyle: "long" }).format(instant);
}

export function formatDate(date: string) {
  return formatter("day", "fr-FR", { timeZone: "UTC", dateStyle: "long" }).format(new Date(`${date}T00:00:00Z`));
}
