import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { Toast } from "~/utils/toast.server";

/** The notice left by the previous action; role="status" makes screen readers announce it. */
export function ToastNotice({ toast }: { toast: Toast | null }) {
  if (!toast) return null;
  return (
    <div role="status" className="fr-container fr-mt-2w">
      <Alert
        severity={toast.severity ?? "success"}
        small={!toast.title}
        title={toast.title ?? ""}
        description={toast.message}
        closable
      />
    </div>
  );
}
