import { Link } from "@remix-run/react";
import type { SectionKey } from "~/modules/applications/form";
import { missingItemHref, SECTION_TITLES } from "./DossierLinks";

/**
 * What stands between the dossier and its submission, grouped by step, each item a link to the
 * field to fill (/dossiers/:reference/:section#fieldId).
 */
export function MissingList({ reference, missing }: { reference: string; missing: ReadonlyArray<{ section: SectionKey; fieldId: string; message: string }> }) {
  const bySection = new Map<SectionKey, Array<(typeof missing)[number]>>();
  for (const item of missing) bySection.set(item.section, [...(bySection.get(item.section) ?? []), item]);
  return (
    <ul className="fr-mb-0">
      {[...bySection].map(([section, items]) => (
        <li key={section}>
          <strong>{SECTION_TITLES[section]}</strong>
          <ul>
            {items.map((item, index) => (
              // A field can miss twice (two rules on one amount): the position keeps keys unique.
              <li key={`${item.fieldId}-${index}`}>
                <Link to={missingItemHref(reference, item)}>{item.message}</Link>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
