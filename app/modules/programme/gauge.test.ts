import { describe, expect, it } from "vitest";
import { formatPercent, gaugeShares } from "./gauge";

const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

describe("gauge shares", () => {
  it("an untouched envelope: the whole bar remains, 0 % committed", () => {
    expect(gaugeShares({ paid: 0, committed: 0, available: 5_000_000_00 })).toEqual({ paidWidth: 0, unpaidWidth: 0, remainingWidth: 100, paidPercent: 0, unpaidPercent: 0, committedPercent: 0, remainingPercent: 100, over: false });
  });

  it("splits paid, committed not paid and remaining, adding up to the bar", () => {
    const shares = gaugeShares({ paid: 100, committed: 400, available: 1000 });
    expect(shares).toEqual({ paidWidth: 10, unpaidWidth: 30, remainingWidth: 60, paidPercent: 10, unpaidPercent: 30, committedPercent: 40, remainingPercent: 60, over: false });
  });

  it("a spent envelope: 100 % committed, nothing remains", () => {
    const shares = gaugeShares({ paid: 1000, committed: 1000, available: 1000 });
    expect(shares).toMatchObject({ paidWidth: 100, unpaidWidth: 0, remainingWidth: 0, committedPercent: 100, remainingPercent: 0, over: false });
  });

  it("over the envelope: drawn against the commitments (the bar still fits), the true share said, flagged", () => {
    const shares = gaugeShares({ paid: 300, committed: 1200, available: 1000 });
    expect(shares.paidWidth + shares.unpaidWidth + shares.remainingWidth).toBeCloseTo(100);
    expect(shares).toMatchObject({ paidWidth: 25, unpaidWidth: 75, remainingWidth: 0, committedPercent: 120, remainingPercent: -20, over: true });
  });

  it("nothing available and nothing committed: an empty bar and no share (no division by zero)", () => {
    expect(gaugeShares({ paid: 0, committed: 0, available: 0 })).toEqual({ paidWidth: 0, unpaidWidth: 0, remainingWidth: 0, paidPercent: null, unpaidPercent: null, committedPercent: null, remainingPercent: null, over: false });
  });

  it("nothing available but something committed: over, the commitments fill the bar", () => {
    expect(gaugeShares({ paid: 0, committed: 5, available: 0 })).toMatchObject({ unpaidWidth: 100, remainingWidth: 0, committedPercent: null, over: true });
  });
});

describe("percentages in French", () => {
  it("writes one decimal at most, with the French separators", () => {
    expect(plain(formatPercent(37.5))).toBe("37,5 %");
    expect(plain(formatPercent(0))).toBe("0 %");
    expect(plain(formatPercent(100))).toBe("100 %");
    expect(plain(formatPercent(120))).toBe("120 %");
    expect(formatPercent(null)).toBe("—");
  });

  it("never rounds a non-zero share to 0 % nor a partial one to 100 %", () => {
    expect(plain(formatPercent(0.01))).toBe("moins de 0,1 %");
    expect(plain(formatPercent(99.96))).toBe("plus de 99,9 %");
    expect(plain(formatPercent(99.94))).toBe("99,9 %");
  });
});
