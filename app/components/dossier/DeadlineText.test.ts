import { describe, expect, it } from "vitest";
import { zonedInstant } from "~/modules/calls/time";
import { countdownText, deadlineElsewhere, isLastHour } from "./DeadlineText";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("countdownText", () => {
  it.each([
    [8 * DAY, null],
    [7 * DAY, "Il reste 7 jours"],
    [2 * DAY + 3 * HOUR + 59 * MINUTE, "Il reste 2 jours et 3 heures"],
    [DAY + HOUR, "Il reste 1 jour et 1 heure"],
    [5 * HOUR + 12 * MINUTE + 30_000, "Il reste 5 heures et 12 minutes"],
    [2 * HOUR, "Il reste 2 heures"],
    [42 * MINUTE + 59_000, "Il reste 42 minutes"],
    [MINUTE, "Il reste 1 minute"],
    [30_000, "Il reste moins d'une minute"],
    [0, "La date limite est passée"],
    [-HOUR, "La date limite est passée"],
  ])("%d ms → %s", (remaining, expected) => {
    expect(countdownText(remaining)).toBe(expected);
  });

  it("is announced in the last hour only", () => {
    expect(isLastHour(HOUR + 1)).toBe(false);
    expect(isLastHour(HOUR)).toBe(true);
    expect(isLastHour(1)).toBe(true);
    expect(isLastHour(0)).toBe(false);
  });
});

describe("deadlineElsewhere", () => {
  const noonInParis = zonedInstant("2027-01-06", "12:00", "Europe/Paris");

  it("gives the overseas wall-clock time, with the date when it differs", () => {
    expect(deadlineElsewhere(noonInParis, "Indian/Reunion")).toBe("15:00");
    expect(deadlineElsewhere(noonInParis, "America/Guadeloupe")).toBe("07:00");
    const halfPastMidnight = zonedInstant("2027-01-06", "00:30", "Europe/Paris");
    expect(deadlineElsewhere(halfPastMidnight, "America/Cayenne")).toBe("le 5 janvier 2027 à 20:30");
  });

  it("is null where the clock reads as in Paris", () => {
    expect(deadlineElsewhere(noonInParis, "Europe/Paris")).toBeNull();
    expect(deadlineElsewhere(noonInParis, "Europe/Brussels")).toBeNull();
  });
});
