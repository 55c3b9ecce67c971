import { describe, expect, it } from "vitest";
import { classBreaks, classOf } from "./choropleth";

describe("map classes", () => {
  it("no figure at all: no class, every département is « aucun »", () => {
    expect(classBreaks([0, 0, 0])).toEqual([]);
    expect(classOf(0, [])).toBeNull();
    expect(classOf(3, [])).toBeNull();
  });

  it("fewer distinct figures than classes: one class per figure", () => {
    const classes = classBreaks([0, 1, 1, 3, 0, 3]);
    expect(classes).toEqual([
      { index: 0, min: 1, max: 1 },
      { index: 1, min: 2, max: 3 },
    ]);
    expect([0, 1, 2, 3].map((value) => classOf(value, classes))).toEqual([null, 0, 1, 1]);
  });

  it("five classes by quantiles of the distinct figures, contiguous, the largest figure in the last", () => {
    const classes = classBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 10]);
    expect(classes).toEqual([
      { index: 0, min: 1, max: 2 },
      { index: 1, min: 3, max: 4 },
      { index: 2, min: 5, max: 6 },
      { index: 3, min: 7, max: 8 },
      { index: 4, min: 9, max: 10 },
    ]);
    for (const [index, mapClass] of classes.entries()) if (index > 0) expect(mapClass.min).toBe(classes[index - 1].max + 1);
    expect(classOf(10, classes)).toBe(4);
  });

  it("skewed populations still give five classes, every figure in exactly one", () => {
    const populations = [1_474, 2_000, 25_490, 26_964, 49_360, 109_400, 142_346, 230_890, 250_573, 800_000];
    const classes = classBreaks(populations);
    expect(classes).toHaveLength(5);
    for (const value of populations) {
      const matching = classes.filter((mapClass) => value >= mapClass.min && value <= mapClass.max);
      expect(matching).toHaveLength(1);
      expect(classOf(value, classes)).toBe(matching[0].index);
    }
    expect(classes[0].min).toBe(1_474);
    expect(classes[4].max).toBe(800_000);
  });
});
