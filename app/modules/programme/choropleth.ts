/**
 * The classes of the map of France, pure. Five classes over the départements that have a
 * figure; a département at zero has no class and is drawn apart (« aucun »), so that a map with
 * few dossiers does not paint most of France in the lightest class.
 */

export interface MapClass {
  /** 0 for the lightest class. */
  index: number;
  /** Bounds, both included; integer figures only (counts, buses, inhabitants). */
  min: number;
  max: number;
}

export const MAP_CLASS_COUNT = 5;

/**
 * Class bounds by quantiles of the distinct positive figures: each class holds about as many
 * distinct figures, which keeps five classes readable whether the figures are counts of 1 to 4
 * or populations of 2,000 to 800,000. With fewer distinct figures than classes, each figure is
 * its own class. Class k starts right after class k−1 ends, so every integer ≥ 1 up to the
 * largest figure falls in exactly one class.
 */
export function classBreaks(values: Iterable<number>, count = MAP_CLASS_COUNT): MapClass[] {
  const distinct = [...new Set([...values].filter((value) => value > 0))].sort((a, b) => a - b);
  if (distinct.length === 0) return [];
  const uppers = distinct.length <= count ? distinct : Array.from({ length: count }, (_, k) => distinct[Math.ceil(((k + 1) * distinct.length) / count) - 1]);
  return uppers.map((max, index) => ({ index, min: index === 0 ? distinct[0] : uppers[index - 1] + 1, max }));
}

/** The class of a figure, or null for zero (no class: drawn as « aucun »). */
export function classOf(value: number, classes: readonly MapClass[]): number | null {
  if (value <= 0 || classes.length === 0) return null;
  for (const mapClass of classes) if (value <= mapClass.max) return mapClass.index;
  return classes[classes.length - 1].index;
}
