import { SECTIONS, type SectionKey } from "~/modules/applications/form";

/** The page of each step: the data sections by key, the pieces, and the recap for « engagement ». */
export function stepHref(reference: string, key: SectionKey) {
  const base = `/dossiers/${encodeURIComponent(reference)}`;
  return key === "engagement" ? `${base}/recapitulatif` : `${base}/${key}`;
}

/** « Étape précédente » / « Étape suivante », in the order of SECTIONS. */
export function neighbourSteps(reference: string, key: SectionKey) {
  const index = SECTIONS.findIndex((section) => section.key === key);
  const link = (position: number) => {
    const step = SECTIONS[position];
    return step ? { key: step.key, href: stepHref(reference, step.key), title: `Étape ${position + 1} sur ${SECTIONS.length} : ${step.title}` } : null;
  };
  return { previous: link(index - 1), next: link(index + 1), position: index + 1, count: SECTIONS.length };
}
