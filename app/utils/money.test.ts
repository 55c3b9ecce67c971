import { describe, expect, it } from "vitest";
import { centsToInput, MAX_AMOUNT_CENTS, parseEuros } from "./money";

describe("parseEuros", () => {
  it.each([
    ["120000", 12_000_000],
    ["120 000", 12_000_000],
    ["120\u202f000,5", 12_000_050],
    ["120 000,50 €", 12_000_050],
    ["0,07", 7],
    ["1.5", 150],
  ])("reads %s as %i cents", (input, cents) => {
    expect(parseEuros(input)).toEqual({ ok: true, cents });
  });

  it.each(["", "-5", "12,345", "1e6", "abc", "12 000,00,00", "<script>"])("refuses « %s » with a French message", (input) => {
    const result = parseEuros(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/montant/i);
  });

  it("refuses amounts above the ceiling and accepts the ceiling", () => {
    expect(parseEuros("100000000").ok).toBe(true);
    expect(parseEuros("100000000,01").ok).toBe(false);
    expect(parseEuros("999999999999999999999").ok).toBe(false);
    expect(MAX_AMOUNT_CENTS).toBe(10_000_000_000);
  });

  it("writes cents back the way they are typed", () => {
    expect(centsToInput(12_000_050)).toBe("120 000,50");
    expect(centsToInput(12_000_000)).toBe("120 000");
    expect(parseEuros(centsToInput(123_456_789))).toEqual({ ok: true, cents: 123_456_789 });
  });
});
