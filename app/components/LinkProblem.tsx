import { Button } from "@codegouvfr/react-dsfr/Button";

/**
 * What a page opened from a mail shows when its link no longer works: why (used, expired,
 * invalid), and the way to get a new one.
 */
export function LinkProblem({ message, action }: { message: string; action?: { label: string; to: string } }) {
  return (
    <>
      <div className="fr-alert fr-alert--error fr-mb-4w">
        <h2 className="fr-alert__title">Ce lien ne fonctionne pas</h2>
        <p>{message}</p>
      </div>
      {action ? <Button linkProps={{ to: action.to }}>{action.label}</Button> : null}
    </>
  );
}
