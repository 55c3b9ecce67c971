/**
 * The sections of the programme area (/programme), in the order of the work: look at the
 * envelope, configure and rank the waves, notify, export, audit. One list, read by the layout's
 * side menu and by the pages that link to a sibling section.
 */
export const PROGRAMME_SECTIONS = [
  { to: "/programme", label: "Tableau de bord", end: true },
  { to: "/programme/vagues", label: "Vagues, classement et décisions", end: false },
  { to: "/programme/courriers", label: "Courriers de décision", end: false },
  { to: "/programme/exports", label: "Exports et données ouvertes", end: false },
  { to: "/programme/journal", label: "Journal d'audit", end: false },
] as const;

export type ProgrammeSection = (typeof PROGRAMME_SECTIONS)[number];

/** Whether a section is the one the page belongs to: the dashboard only on its own URL, the others with their sub-pages. */
export function isCurrentSection(section: Pick<ProgrammeSection, "to" | "end">, pathname: string) {
  const path = pathname.replace(/\/+$/, "") || "/";
  return section.end ? path === section.to : path === section.to || path.startsWith(`${section.to}/`);
}
