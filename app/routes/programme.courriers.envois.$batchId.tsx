import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import progressCss from "~/components/programme/LetterProgress.css?url";
import { ProgressBar } from "~/components/programme/LetterProgress";
import { SubmitButton } from "~/components/forms";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { letterBatchProgress, retryLetterBatch, type BatchProgress } from "~/modules/letters/service.server";
import { DomainError } from "~/utils/errors";
import { formatInteger } from "~/utils/format";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Envoi des courriers de décision — Programme — Portail Médicobus" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressCss }];

/** How often the page asks for the figures while letters are prepared and mails leave. */
const POLL_MS = 1_500;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  return json(await orErrorPage(letterBatchProgress(manager, params.batchId ?? "")));
}

/** « Réessayer »: the failed letters and mails of the sending go again. */
export async function action({ request, params }: ActionFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const batchId = params.batchId ?? "";
  const page = `/programme/courriers/envois/${batchId}`;
  try {
    const retried = await retryLetterBatch(manager, batchId);
    return redirectWithToast(page, { title: "Nouvelle tentative lancée", message: `${formatInteger(retried.letters)} courrier(s) et ${formatInteger(retried.mails)} courriel(s) repartent.` });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.status === 404 || error.status === 403) throw new Response(error.message, { status: error.status });
    return redirectWithToast(page, { severity: "info", message: error.message });
  }
}

export default function LetterBatchProgress() {
  const initial = useLoaderData<typeof loader>();
  const fetcher = useFetcher<BatchProgress>();
  const progress = fetcher.data ?? initial;
  const resource = `/programme/courriers/envois/${progress.batch.id}/progression`;

  // Polls while the sending runs; stops once every letter is prepared and every mail has left.
  useEffect(() => {
    if (progress.done || fetcher.state !== "idle") return;
    const timer = window.setTimeout(() => fetcher.load(resource), POLL_MS);
    return () => window.clearTimeout(timer);
  }, [progress, resource, fetcher]);

  const summary = `${formatInteger(progress.prepared)} / ${formatInteger(progress.total)} courriers préparés, ${formatInteger(progress.sent)} envoyés`;
  return (
    <>
      <h1>Envoi des courriers de décision</h1>
      <p>
        {progress.batch.waveTitle} — envoi lancé le {formatDateTime(new Date(progress.batch.createdAt))} par {progress.batch.createdBy}.
      </p>

      <section aria-labelledby="avancement" className="fr-mb-4w">
        <h2 id="avancement">Avancement</h2>
        {/* Announced as it changes, politely: a screen reader hears the figures without losing its place. */}
        <p className="fr-text--lead" role="status" aria-live="polite">
          {summary}
          {progress.done ? " — terminé." : "…"}
        </p>
        <ProgressBar id="barre-preparation" label="courriers préparés" value={progress.prepared} max={progress.total} />
        <ProgressBar id="barre-envoi" label="courriers envoyés" value={progress.sent} max={progress.total} />
        {progress.superseded > 0 ? <p>{formatInteger(progress.superseded)} courrier(s) remplacé(s) : la décision a été rouverte avant leur préparation.</p> : null}
        {!progress.done ? (
          <noscript>
            <p>
              <a href={`/programme/courriers/envois/${progress.batch.id}`}>Actualiser l'avancement</a>
            </p>
          </noscript>
        ) : progress.failures.length === 0 ? (
          <Alert severity="success" small description={`Tous les courriers de l'envoi sont partis (${formatInteger(progress.sent)}).`} />
        ) : null}
      </section>

      {progress.failures.length > 0 ? (
        <section aria-labelledby="echecs" className="fr-mb-4w">
          <h2 id="echecs">Échecs ({formatInteger(progress.failures.length)})</h2>
          <div className="fr-table fr-table--no-scroll">
            <div className="fr-table__wrapper">
              <div className="fr-table__container">
                <div className="fr-table__content">
                  <table>
                    <caption>Courriers ou courriels qui n'ont pas abouti</caption>
                    <thead>
                      <tr>
                        <th scope="col">Dossier</th>
                        <th scope="col">Organisation</th>
                        <th scope="col">Problème</th>
                      </tr>
                    </thead>
                    <tbody>
                      {progress.failures.map((failure, index) => (
                        // A dossier may fail for several recipients: the position is the identity.
                        <tr key={index}>
                          <td>{failure.reference}</td>
                          <td>{failure.organisation}</td>
                          <td>{failure.problem}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
          <Form method="post">
            <SubmitButton>Réessayer les envois en échec</SubmitButton>
          </Form>
        </section>
      ) : null}

      <p>
        <Link className="fr-link fr-icon-arrow-left-line fr-link--icon-left" to={`/programme/courriers?vague=${progress.batch.waveId}`}>
          Retour aux courriers de la vague
        </Link>
      </p>
    </>
  );
}
