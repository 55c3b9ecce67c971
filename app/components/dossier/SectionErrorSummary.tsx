import type { RefObject } from "react";
import type { FormSectionKey } from "./SectionFormData";
import { describeField } from "./SectionLabels";

/**
 * The DSFR error summary of a section: each refused value as a link to its field. It is focused
 * after a refused « Enregistrer » or « Étape suivante » (and on load after a refused post without
 * JavaScript), never while the user types: autosave errors appear next to their fields and in the
 * status line.
 */
export function SectionErrorSummary({
  section,
  errors,
  message,
  summaryRef,
  autoFocus,
}: {
  section: FormSectionKey;
  errors: Record<string, string[]>;
  message: string | null;
  summaryRef: RefObject<HTMLDivElement>;
  autoFocus: boolean;
}) {
  const entries = Object.entries(errors).filter(([, messages]) => messages.length > 0);
  if (entries.length === 0 && !message) return null;
  return (
    <div ref={summaryRef} className="fr-alert fr-alert--error fr-mb-4w mb-error-summary" id={`${section}-erreurs`} tabIndex={-1} autoFocus={autoFocus}>
      <h2 className="fr-alert__title">
        {entries.length === 0 ? "L'étape n'a pas été enregistrée" : entries.length === 1 ? "Le formulaire contient une erreur" : `Le formulaire contient ${entries.length} erreurs`}
      </h2>
      {message ? <p>{message}</p> : null}
      {entries.length > 0 ? (
        <ul className="fr-mt-1w">
          {entries.map(([id, messages]) => (
            <li key={id}>
              <a href={`#${id}`}>
                {describeField(section, id)} : {messages[0]}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
