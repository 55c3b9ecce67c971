import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useRevalidator } from "@remix-run/react";
import { useRef, useState, type FormEvent } from "react";
import { FILE_INPUT_ACCEPT, FILE_INPUT_HINT, MAX_FILE_BYTES, TOO_LARGE_MESSAGE } from "~/modules/files/types";

type UploadState =
  | { kind: "idle" }
  | { kind: "sending"; fileName: string; percent: number }
  | { kind: "done"; message: string }
  | { kind: "refused"; message: string };

/** The announced progress moves by tenths: every percent would flood a screen reader. */
const announcedPercent = (percent: number) => Math.floor(percent / 10) * 10;

/**
 * The upload form of one piece: a plain multipart POST without JavaScript; with it, the file
 * goes with XMLHttpRequest (fetch cannot report upload progress) and a <progress> bar shows how
 * far it is, its percentage announced as it goes. The server's refusal (400 no file, 413 too
 * large, 422 type refused) is shown next to the input, as is the check of the size made before
 * sending anything.
 */
export function PiecesUpload({
  pieceCode,
  pieceLabel,
  action,
  dataAction,
  initialError,
}: {
  pieceCode: string;
  pieceLabel: string;
  /** Where the form posts (with ?piece=…), and the same for a data request. */
  action: string;
  dataAction: string;
  /** The refusal of a post made without JavaScript. */
  initialError: string | null;
}) {
  const [state, setState] = useState<UploadState>(initialError ? { kind: "refused", message: initialError } : { kind: "idle" });
  const input = useRef<HTMLInputElement>(null);
  const revalidator = useRevalidator();
  const inputId = `pieces-${pieceCode}-fichier`;

  const refuse = (message: string) => {
    setState({ kind: "refused", message });
    input.current?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (state.kind === "sending") return;
    const file = input.current?.files?.[0];
    if (!file) return refuse("Choisissez un fichier à déposer.");
    if (file.size > MAX_FILE_BYTES) return refuse(TOO_LARGE_MESSAGE);
    const body = new FormData();
    body.set("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", dataAction);
    request.setRequestHeader("Accept", "application/json");
    request.responseType = "json";
    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable) setState({ kind: "sending", fileName: file.name, percent: Math.round((progress.loaded / progress.total) * 100) });
    });
    request.addEventListener("load", () => {
      const answer = (request.response ?? {}) as { message?: string; fieldErrors?: Record<string, string[]> };
      if (request.status >= 200 && request.status < 300) {
        setState({ kind: "done", message: answer.message ?? `Fichier « ${file.name} » déposé.` });
        if (input.current) input.current.value = "";
        revalidator.revalidate();
        return;
      }
      if (request.getResponseHeader("X-Remix-Redirect")) return refuse("Votre session a expiré : reconnectez-vous, puis déposez de nouveau le fichier.");
      refuse(answer.fieldErrors?.file?.[0] ?? answer.message ?? "Le dépôt a échoué : réessayez.");
    });
    request.addEventListener("error", () => refuse("Le fichier n'a pas pu être envoyé (connexion interrompue) : réessayez."));
    setState({ kind: "sending", fileName: file.name, percent: 0 });
    request.send(body);
  };

  return (
    <form method="post" encType="multipart/form-data" action={action} onSubmit={onSubmit} className="fr-mt-2w" noValidate>
      <Upload
        label={`Ajouter un fichier pour « ${pieceLabel} »`}
        hint={FILE_INPUT_HINT}
        state={state.kind === "refused" ? "error" : "default"}
        stateRelatedMessage={state.kind === "refused" ? state.message : undefined}
        nativeInputProps={{
          ref: input,
          id: inputId,
          name: "file",
          accept: FILE_INPUT_ACCEPT,
          "aria-invalid": state.kind === "refused" ? true : undefined,
          onChange: () => state.kind === "refused" && setState({ kind: "idle" }),
        }}
      />
      <button type="submit" className="fr-btn fr-btn--secondary fr-btn--sm fr-btn--icon-left fr-icon-upload-line fr-mt-1w" disabled={state.kind === "sending"} aria-describedby={`${inputId}-etat`}>
        Déposer le fichier
      </button>
      {state.kind === "sending" ? (
        <div className="fr-mt-1w">
          <progress id={`${inputId}-progression`} max={100} value={state.percent} aria-label={`Envoi de « ${state.fileName} »`}>
            {state.percent} %
          </progress>
        </div>
      ) : null}
      <p id={`${inputId}-etat`} className="fr-text--sm fr-mt-1w fr-mb-0" aria-live="polite">
        {state.kind === "sending" ? `Envoi de « ${state.fileName} » : ${announcedPercent(state.percent)} %` : state.kind === "done" ? state.message : ""}
      </p>
    </form>
  );
}
