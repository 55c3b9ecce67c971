import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useState } from "react";
import type { AutosaveStatus as Status } from "./useAutosave";

const time = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit" });

function countErrors(fieldErrors: Record<string, string[]>) {
  const count = Object.keys(fieldErrors).length;
  return count <= 1 ? "une valeur à corriger" : `${count} valeurs à corriger`;
}

/**
 * The autosave's state in words, in a polite live region: « Enregistrement… », « Enregistré à
 * 14:32 » (the browser's clock: it is the user's own edit), or why nothing is saved.
 */
export function AutosaveStatusText({ status }: { status: Status }) {
  // The time is the browser's; it is only known after hydration, never rendered by the server.
  const [savedAt, setSavedAt] = useState<string | null>(null);
  useEffect(() => {
    if (status.kind === "saved") setSavedAt(time.format(new Date(status.savedAt)));
  }, [status]);
  // Without JavaScript nothing saves by itself: the page says so until the script runs.
  const [automatic, setAutomatic] = useState(false);
  useEffect(() => setAutomatic(true), []);

  let text: string;
  switch (status.kind) {
    case "saving":
      text = "Enregistrement…";
      break;
    case "saved":
      text = savedAt ? `Enregistré à ${savedAt}` : "Enregistré";
      break;
    case "invalid":
      text = `Non enregistré : ${countErrors(status.problem.fieldErrors)}.`;
      break;
    case "offline":
      text = "Enregistrement impossible pour l'instant (connexion interrompue) : nouvel essai dans quelques secondes.";
      break;
    case "stale":
    case "closed":
      text = "Enregistrement automatique arrêté.";
      break;
    default:
      text = automatic ? "Vos saisies sont enregistrées automatiquement." : "Enregistrez vos saisies avant de quitter la page.";
  }
  return (
    <p className="fr-text--sm fr-mb-0 mb-autosave-status" role="status" aria-live="polite" data-state={status.kind}>
      {status.kind === "saved" ? <span className="fr-icon-check-line fr-icon--sm fr-mr-1v" aria-hidden="true" /> : null}
      {text}
    </p>
  );
}

/**
 * When saving stopped for good: a co-editor or another tab saved first (« modifié ailleurs »),
 * the dossier was submitted meanwhile, or the session ended. Announced as an alert, with the
 * way out (reload the page).
 */
export function AutosaveStoppedAlert({ status }: { status: Status }) {
  if (status.kind !== "stale" && status.kind !== "closed") return null;
  const title = status.kind === "stale" ? "Ce dossier a été modifié ailleurs" : "Enregistrement impossible";
  return (
    <div role="alert" className="fr-alert fr-alert--error fr-mb-3w" id="enregistrement-arrete" tabIndex={-1}>
      <h2 className="fr-alert__title">{title}</h2>
      <p>{status.problem.message}</p>
      {status.problem.code !== "signed_out" ? (
        <Button className="fr-mt-2w" priority="secondary" size="small" iconId="fr-icon-refresh-line" onClick={() => window.location.reload()}>
          Recharger
        </Button>
      ) : null}
    </div>
  );
}
