import { SECTIONS, type SectionKey } from "~/modules/applications/form";

/**
 * Where each step of the dossier is edited. The five form sections have a page each
 * (/dossiers/:reference/:section), the pieces theirs, and the engagement is signed on the recap.
 */
export function sectionPath(reference: string, section: SectionKey) {
  return section === "engagement" ? `/dossiers/${reference}/recapitulatif` : `/dossiers/${reference}/${section}`;
}

/** A missing item links to its field: `/dossiers/MB-…/budget#budget-costs-0-label`. */
export function missingItemHref(reference: string, item: { section: SectionKey; fieldId: string }) {
  return `${sectionPath(reference, item.section)}#${item.fieldId}`;
}

export const SECTION_TITLES: Record<SectionKey, string> = Object.fromEntries(SECTIONS.map((section) => [section.key, section.title])) as Record<SectionKey, string>;

/** The steps with whether anything is still missing in each, in the order of the form. */
export function stepsWithProgress(missing: ReadonlyArray<{ section: SectionKey }>) {
  const incomplete = new Set(missing.map((item) => item.section));
  return SECTIONS.map((section, index) => ({ ...section, number: index + 1, complete: !incomplete.has(section.key) }));
}
