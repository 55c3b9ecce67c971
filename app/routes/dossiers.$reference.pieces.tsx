import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { PiecesUpload } from "~/components/dossier/PiecesUpload";
import sectionCss from "~/components/dossier/SectionForm.css?url";
import { neighbourSteps } from "~/components/dossier/SectionSteps";
import { getDossierViewForMember } from "~/modules/applications/queries.server";
import { assertPieceUploadAllowed, attachPiece, canEditPieces, removePiece } from "~/modules/applications/pieces.server";
import { requireUser } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { ACCEPTED_FILE_TYPES } from "~/modules/files/types";
import { readUpload } from "~/modules/files/upload.server";
import { DomainError } from "~/utils/errors";
import { redirectWithToast } from "~/utils/toast.server";

/** Uploads with JavaScript post to this route's action as a data request (`?_data=` + this id). */
const ROUTE_ID = "routes/dossiers.$reference.pieces";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: sectionCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Pièces justificatives — ${data?.reference ?? "Dossier"} — Portail Médicobus` }];

function asErrorPage(error: unknown): never {
  if (error instanceof DomainError) throw new Response(error.message, { status: error.status });
  throw error;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await getDossierViewForMember(user, params.reference ?? "").catch(asErrorPage);
  const steps = neighbourSteps(view.dossier.reference, "pieces");
  // Required pieces first, each group in the call's order.
  const pieces = [...view.call.rules.pieces].sort((a, b) => Number(b.required) - Number(a.required));
  return json({
    reference: view.dossier.reference,
    editable: canEditPieces(view.dossier),
    status: view.dossier.status,
    step: { position: steps.position, count: steps.count },
    previous: steps.previous!,
    next: steps.next!,
    pieces: pieces.map((piece) => ({ ...piece, files: view.pieces.filter((file) => file.pieceCode === piece.code) })),
  });
}

type UploadAnswer = { ok: true; message: string } | { ok: false; pieceCode: string; message: string; fieldErrors: Record<string, string[]> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const reference = params.reference ?? "";
  const here = new URL(request.url);
  const page = `/dossiers/${encodeURIComponent(reference)}/pieces`;
  // An upload posts to ?piece=<code> (the piece is known before the body is read); « Supprimer » does not.
  const pieceCode = here.searchParams.get("piece");
  if (pieceCode !== null) {
    const wantsJson = (request.headers.get("Accept") ?? "").includes("application/json");
    try {
      // Who, which dossier, which piece: decided before a byte of the file is read.
      await assertPieceUploadAllowed(user, reference, pieceCode);
      const upload = await readUpload(request, { fieldName: "file" });
      const { piece, alreadyAttached } = await attachPiece(user, reference, pieceCode, upload);
      const message = alreadyAttached ? `Le fichier « ${piece.fileName} » était déjà déposé pour cette pièce.` : `Fichier « ${piece.fileName} » déposé.`;
      if (wantsJson) return json({ ok: true, message } satisfies UploadAnswer, { status: alreadyAttached ? 200 : 201 });
      return redirectWithToast(`${page}#pieces-${pieceCode}`, message);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.status === 404) asErrorPage(error);
      return json({ ok: false, pieceCode, message: error.message, fieldErrors: error.fieldErrors } satisfies UploadAnswer, { status: error.status });
    }
  }
  const form = await request.formData();
  if (form.get("intent") !== "delete") return json({ ok: false, pieceCode: "", message: "Action inconnue.", fieldErrors: {} } satisfies UploadAnswer, { status: 400 });
  try {
    const removed = await removePiece(user, reference, String(form.get("pieceId") ?? ""));
    return redirectWithToast(`${page}#pieces-${removed.pieceCode}`, `Fichier « ${removed.fileName} » supprimé.`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.status === 404) asErrorPage(error);
    return json({ ok: false, pieceCode: "", message: error.message, fieldErrors: {} } satisfies UploadAnswer, { status: error.status });
  }
}

const sizes = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

function formatSize(bytes: number) {
  if (bytes < 1024) return `${bytes} octets`;
  if (bytes < 1024 * 1024) return `${sizes.format(bytes / 1024)} ko`;
  return `${sizes.format(bytes / 1024 / 1024)} Mo`;
}

function typeLabel(mimeType: string) {
  return ACCEPTED_FILE_TYPES.find((type) => type.mimeType === mimeType)?.code.toUpperCase() ?? mimeType;
}

export default function PiecesPage() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { pathname } = useLocation();
  const navigation = useNavigation();
  const refused = answer && !answer.ok ? answer : null;

  // After a « Supprimer », the list changes under the focus: it goes to the piece's heading.
  const focusAfterDelete = useRef<string | null>(null);
  useEffect(() => {
    if (navigation.state !== "idle" || !focusAfterDelete.current) return;
    document.getElementById(`pieces-${focusAfterDelete.current}`)?.focus();
    focusAfterDelete.current = null;
  }, [navigation.state]);

  return (
    <div className="mb-section">
      <p className="fr-text--sm fr-mb-1v">
        Étape {data.step.position} sur {data.step.count}
      </p>
      <h2 className="fr-h3">Pièces justificatives</h2>
      {data.editable ? (
        <p>
          Déposez chaque pièce demandée par l'appel à projets. Les pièces <strong>obligatoires</strong> doivent toutes être déposées avant le dépôt du dossier. Une pièce peut
          compter plusieurs fichiers (une lettre par partenaire, par exemple).
        </p>
      ) : (
        <div className="fr-notice fr-notice--info fr-mb-3w">
          <div className="fr-container">
            <div className="fr-notice__body">
              <p className="fr-notice__title">
                {data.status === "changes_requested"
                  ? "Les pièces ne sont pas concernées par la demande de corrections : elles ne sont pas modifiables."
                  : "Les pièces ne sont plus modifiables : le dossier a été déposé."}{" "}
                Vous pouvez télécharger les fichiers déposés.
              </p>
            </div>
          </div>
        </div>
      )}
      {refused && !refused.pieceCode ? (
        <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
          <p>{refused.message}</p>
        </div>
      ) : null}
      {data.pieces.map((piece) => (
        <section key={piece.code} id={`pieces-${piece.code}`} tabIndex={-1} aria-labelledby={`pieces-${piece.code}-titre`} className="fr-mb-5w fr-pb-3w mb-piece">
          <h3 id={`pieces-${piece.code}-titre`} className="fr-h6 fr-mb-1w">
            {piece.label}{" "}
            {piece.required ? (
              <Badge severity="warning" small noIcon>
                obligatoire
              </Badge>
            ) : (
              <Badge small noIcon>
                facultatif
              </Badge>
            )}
          </h3>
          {piece.description ? <p className="fr-text--sm fr-mb-1w">{piece.description}</p> : null}
          {piece.files.length === 0 ? (
            <p className="fr-text--sm fr-mb-1w">{piece.required && data.editable ? "Aucun fichier déposé : pièce à fournir." : "Aucun fichier déposé."}</p>
          ) : (
            <ul className="mb-pieces-list" aria-label={`Fichiers déposés pour « ${piece.label} »`}>
              {piece.files.map((file) => (
                <li key={file.id} className="fr-mb-1w">
                  <a className="fr-link fr-link--download" href={`/dossiers/${encodeURIComponent(data.reference)}/pieces/${file.id}`} download>
                    {file.fileName}
                    <span className="fr-link__detail">
                      {typeLabel(file.mimeType)} – {formatSize(file.sizeBytes)} – déposé le {formatDateTime(new Date(file.createdAt))}
                    </span>
                  </a>
                  {data.editable ? (
                    <Form method="post" className="fr-mt-1v" onSubmit={() => (focusAfterDelete.current = piece.code)}>
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="pieceId" value={file.id} />
                      <button type="submit" className="fr-btn fr-btn--tertiary fr-btn--sm fr-btn--icon-left fr-icon-delete-line">
                        Supprimer<span className="fr-sr-only"> le fichier « {file.fileName} »</span>
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {data.editable ? (
            <PiecesUpload
              pieceCode={piece.code}
              pieceLabel={piece.label}
              action={`${pathname}?piece=${piece.code}`}
              dataAction={`${pathname}?piece=${piece.code}&_data=${encodeURIComponent(ROUTE_ID)}`}
              initialError={refused?.pieceCode === piece.code ? ((refused.fieldErrors as Record<string, string[]>).file?.[0] ?? refused.message) : null}
            />
          ) : null}
        </section>
      ))}
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-4w">
        <li>
          <Link className="fr-btn fr-btn--secondary fr-icon-arrow-left-line" to={data.previous.href}>
            Étape précédente
          </Link>
        </li>
        <li>
          <Link className="fr-btn fr-icon-arrow-right-line fr-btn--icon-right" to={data.next.href}>
            Étape suivante
          </Link>
        </li>
      </ul>
    </div>
  );
}
