import { describe, expect, it } from "vitest";
import { waveClosing, waveState } from "./rules";
import { formatDateTime, formatDay, zonedInstant, zonedToday } from "./time";

const wave = { opensOn: "2024-01-15", closesOn: "2024-03-29", closingTime: "12:00", timeZone: "Europe/Paris" };

describe("zonedInstant", () => {
  it("uses UTC+1 in winter and UTC+2 in summer in Paris", () => {
    expect(zonedInstant("2024-01-15", "12:00", "Europe/Paris").toISOString()).toBe("2024-01-15T11:00:00.000Z");
    expect(zonedInstant("2024-07-15", "12:00", "Europe/Paris").toISOString()).toBe("2024-07-15T10:00:00.000Z");
  });

  it("is right on the days of the daylight-saving changes", () => {
    // 31 March 2024: clocks go from 02:00 to 03:00; 27 October 2024: from 03:00 back to 02:00.
    expect(zonedInstant("2024-03-31", "12:00", "Europe/Paris").toISOString()).toBe("2024-03-31T10:00:00.000Z");
    expect(zonedInstant("2024-03-31", "01:30", "Europe/Paris").toISOString()).toBe("2024-03-31T00:30:00.000Z");
    expect(zonedInstant("2024-10-27", "12:00", "Europe/Paris").toISOString()).toBe("2024-10-27T11:00:00.000Z");
  });

  it("handles overseas zones", () => {
    expect(zonedInstant("2024-03-29", "12:00", "America/Guadeloupe").toISOString()).toBe("2024-03-29T16:00:00.000Z");
    expect(zonedInstant("2024-03-29", "12:00", "Indian/Reunion").toISOString()).toBe("2024-03-29T08:00:00.000Z");
  });
});

describe("formatters kept per time zone", () => {
  it("answer each zone's wall clock when zones alternate", () => {
    const instant = new Date("2024-03-29T23:30:00Z");
    for (let round = 0; round < 2; round++) {
      expect(zonedToday("Europe/Paris", instant)).toBe("2024-03-30");
      expect(zonedToday("America/Guadeloupe", instant)).toBe("2024-03-29");
      expect(formatDateTime(instant, "Europe/Paris")).toBe("30 mars 2024 à 00:30");
      expect(formatDateTime(instant, "Indian/Reunion")).toBe("30 mars 2024 à 03:30");
      expect(formatDay(instant, "America/Guadeloupe")).toBe("29 mars 2024");
      expect(zonedInstant("2024-03-29", "12:00", "Indian/Reunion").toISOString()).toBe("2024-03-29T08:00:00.000Z");
      expect(zonedInstant("2024-03-29", "12:00", "Europe/Paris").toISOString()).toBe("2024-03-29T11:00:00.000Z");
    }
  });
});

describe("zonedInstant kept once computed", () => {
  it("gives the same instant again, as a Date the caller may change without changing the next answer", () => {
    const first = zonedInstant("2024-10-27", "12:00", "Europe/Paris");
    first.setTime(0);
    expect(zonedInstant("2024-10-27", "12:00", "Europe/Paris").toISOString()).toBe("2024-10-27T11:00:00.000Z");
    expect(zonedInstant("2024-10-27", "12:00", "America/Guadeloupe").toISOString()).toBe("2024-10-27T16:00:00.000Z");
  });
});

describe("waveState", () => {
  it("is upcoming before the opening day, open until the closing instant, closed from it", () => {
    expect(waveState(wave, new Date("2024-01-14T22:59:59Z"))).toBe("upcoming");
    expect(waveState(wave, new Date("2024-01-14T23:00:00Z"))).toBe("open");
    expect(waveState(wave, new Date("2024-03-29T10:59:59Z"))).toBe("open"); // 11:59:59 Paris
    expect(waveState(wave, new Date("2024-03-29T11:00:00Z"))).toBe("closed"); // 12:00:00 Paris
  });

  it("puts the closing instant on the right side of a daylight-saving change", () => {
    const springWave = { ...wave, closesOn: "2024-04-02" };
    expect(waveClosing(springWave).toISOString()).toBe("2024-04-02T10:00:00.000Z");
    expect(waveState(springWave, new Date("2024-04-02T09:59:59Z"))).toBe("open");
    expect(waveState(springWave, new Date("2024-04-02T10:00:00Z"))).toBe("closed");
  });
});

describe("zonedToday", () => {
  it("reads the date on the zone's wall clock", () => {
    expect(zonedToday("Europe/Paris", new Date("2024-03-30T23:30:00Z"))).toBe("2024-03-31");
    expect(zonedToday("America/Guadeloupe", new Date("2024-03-31T02:00:00Z"))).toBe("2024-03-30");
  });
});
