import { describe, expect, it } from "vitest";
import { checkSiret, luhnValid } from "./siret";

describe("SIRET", () => {
  it.each([
    ["73282932000074", "INSEE example"],
    ["732 829 320 00074", "typed with spaces"],
    ["35600000000047", "La Poste: not Luhn-valid, digits sum to a multiple of 5"],
    ["21610001600015", "a commune: SIREN 216100016 (Alençon) with a valid NIC"],
  ])("accepts %s (%s)", (input) => {
    expect(checkSiret(input).ok).toBe(true);
  });

  it.each([
    ["73282932000075", /clé de contrôle/],
    ["7328293200007", /14 chiffres/],
    ["7328293200007A", /14 chiffres/],
    ["", /14 chiffres/],
    ["35600000000049", /clé de contrôle/],
  ])("refuses %s", (input, message) => {
    const result = checkSiret(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("implements the Luhn sum", () => {
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
  });
});
