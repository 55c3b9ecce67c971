import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import progressCss from "~/components/programme/LetterProgress.css?url";
import { DossierCheckbox, DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, TextField, useValidatedForm } from "~/components/forms";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { OUTCOME_LABELS, OUTCOMES, PLACEHOLDERS, placeholdersFor } from "~/modules/letters/placeholders";
import { OutboxFormSchema } from "~/modules/letters/schema";
import { lastLetterTemplates, letterOutbox, pendingLetters, previewLetterMails, sendDecisionLetters, type MailPreview } from "~/modules/letters/service.server";
import { formatDateTime } from "~/modules/calls/time";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { formatEuros, formatInteger } from "~/utils/format";
import { publicOrigin } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Courriers de décision — Programme — Portail Médicobus" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressCss }];

const FORM_ID = "courriers";

/** The outbox of one wave (?vague=<id>; by default the first with letters to send), its templates and a preview of each outcome's mail. */
export async function loader({ request }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const waves = await letterOutbox(manager);
  const wanted = new URL(request.url).searchParams.get("vague");
  const current = wanted ? waves.find((wave) => wave.id === wanted) : (waves.find((wave) => wave.counts.total > 0) ?? waves[0]);
  if (wanted && !current) throw new Response("Vague introuvable.", { status: 404 });
  const templates = await lastLetterTemplates(manager);
  const due = current && current.counts.total > 0;
  const [previews, pending] = due ? await orErrorPage(Promise.all([previewLetterMails(manager, current.id, templates, publicOrigin(request)), pendingLetters(manager, current.id)])) : [[], []];
  return json({ waves, currentId: current?.id ?? null, templates, previews, pending });
}

type ActionData = FormReply & { previews?: MailPreview[] };

/** « Prévisualiser » renders the mails with the templates as edited; « Envoyer » creates the batch and opens its progress. */
export async function action({ request }: ActionFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const formData = await request.formData();
  const intent = formData.get("intent");
  const submission = parseWithZod(formData, { schema: OutboxFormSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  const { waveId, expected, confirm, ...templates } = submission.value;
  try {
    if (intent === "preview") {
      const previews = await previewLetterMails(manager, waveId, templates, publicOrigin(request));
      return json({ ...submission.reply(), previews } satisfies ActionData);
    }
    if (intent !== "send") return json(submission.reply({ formErrors: ["Action inconnue : rechargez la page et recommencez."] }), { status: 400 });
    if (confirm !== "on") {
      return json(submission.reply({ fieldErrors: { confirm: ["Cochez la case pour confirmer l'envoi des courriers."] } }), { status: 400 });
    }
    const { batchId, letters } = await sendDecisionLetters(manager, waveId, { ...templates, expected: expected ?? -1 }, publicOrigin(request));
    return redirectWithToast(`/programme/courriers/envois/${batchId}`, { title: "Envoi lancé", message: `${formatInteger(letters)} courriers sont en préparation.` });
  } catch (error) {
    return replyWithError(submission, error);
  }
}

const FIELD_LABELS: Record<string, string> = Object.fromEntries(
  OUTCOMES.flatMap((outcome) => [
    [`${outcome}.subject`, `Objet du courriel « ${OUTCOME_LABELS[outcome]} »`],
    [`${outcome}.body`, `Texte du courriel « ${OUTCOME_LABELS[outcome]} »`],
  ]).concat([["confirm", "Confirmation"]]),
);

/**
 * A DSFR button that submits the form with `intent` set: the Button component of react-dsfr
 * drops a `value` given in its native props, and the action needs to know which one was pressed.
 */
function IntentButton({ intent, secondary = false, children }: { intent: "preview" | "send"; secondary?: boolean; children: string }) {
  const navigation = useNavigation();
  const pending = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <button type="submit" name="intent" value={intent} className={`fr-btn${secondary ? " fr-btn--secondary" : ""}`} disabled={pending} aria-busy={pending || undefined}>
      {children}
    </button>
  );
}

function PlaceholderHint({ outcome }: { outcome: (typeof OUTCOMES)[number] }) {
  return (
    <>
      Champs remplacés pour chaque destinataire :{" "}
      {placeholdersFor(outcome).map((name, index) => (
        <span key={name}>
          {index > 0 ? ", " : ""}
          <code>{`{{${name}}}`}</code> ({PLACEHOLDERS[name].description})
        </span>
      ))}
      . Une ligne vide sépare deux paragraphes.
    </>
  );
}

/** What each letter will say, one row per decision, with the PDF it would be today. */
function PendingTable({ pending, total }: { pending: ReturnType<typeof useLoaderData<typeof loader>>["pending"]; total: number }) {
  return (
    <div className="fr-table fr-table--no-scroll">
      <div className="fr-table__wrapper">
        <div className="fr-table__container">
          <div className="fr-table__content">
            <table>
              <caption>Courriers à envoyer ({formatInteger(total)})</caption>
              <thead>
                <tr>
                  <th scope="col">Dossier</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Décision</th>
                  <th scope="col">Courrier</th>
                </tr>
              </thead>
              <tbody>
                {pending.map((letter) => (
                  <tr key={letter.decisionId}>
                    <td>
                      {letter.reference}
                      <br />
                      <span className="fr-text--xs">{letter.title || "Projet sans titre"}</span>
                    </td>
                    <td>{letter.organisation}</td>
                    <td>
                      {OUTCOME_LABELS[letter.outcome]}
                      {letter.awardedCents !== null ? ` — ${formatEuros(letter.awardedCents)}` : ""}
                      {letter.waitlistRank !== null ? ` — rang ${formatInteger(letter.waitlistRank)}` : ""}
                    </td>
                    <td>
                      {/* A file, not a page: no client-side navigation. */}
                      <a className="fr-link" href={`/programme/courriers/apercu/${letter.decisionId}`} target="_blank" rel="noreferrer">
                        Aperçu PDF<span className="fr-sr-only"> du courrier du dossier {letter.reference} (nouvelle fenêtre)</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

function Previews({ previews }: { previews: MailPreview[] }) {
  return (
    <section aria-labelledby="apercus" className="fr-mb-4w">
      <h3 id="apercus">Aperçu des courriels</h3>
      <p>Chaque courriel tel que le recevra un destinataire réel de la vague ; le courrier de décision (PDF) y est joint.</p>
      {previews.map((preview) => (
        <div key={preview.outcome} className="fr-mb-3w">
          <h4 className="fr-h6 fr-mb-1w">
            {OUTCOME_LABELS[preview.outcome]} — dossier {preview.reference}
          </h4>
          <p className="fr-mb-1v">
            <strong>À :</strong> {preview.to}
          </p>
          <p className="fr-mb-1w">
            <strong>Objet :</strong> {preview.subject}
          </p>
          <pre className="mb-mail-preview">{preview.text}</pre>
        </div>
      ))}
    </section>
  );
}

export default function LetterOutbox() {
  const { waves, currentId, templates, previews: initialPreviews, pending } = useLoaderData<typeof loader>();
  const reply = useActionData<ActionData>();
  const current = waves.find((wave) => wave.id === currentId) ?? null;
  const { fields, formProps, summary } = useValidatedForm({ id: FORM_ID, schema: OutboxFormSchema, lastResult: reply, defaultValue: { ...templates, waveId: currentId ?? "" } });
  const previews = reply?.previews ?? initialPreviews;
  const total = current?.counts.total ?? 0;

  return (
    <>
      <h1>Courriers de décision</h1>
      <p className="fr-text--lead">Chaque décision est notifiée par un courrier (PDF) joint à un courriel adressé aux membres de l'organisation porteuse ; le porteur le retrouve aussi sur son dossier.</p>

      <div className="fr-table fr-table--no-scroll">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>Décisions à notifier, par vague</caption>
                <thead>
                  <tr>
                    <th scope="col">Vague</th>
                    {OUTCOMES.map((outcome) => (
                      <th key={outcome} scope="col" className="fr-cell--right">
                        {OUTCOME_LABELS[outcome]}
                      </th>
                    ))}
                    <th scope="col" className="fr-cell--right">
                      À envoyer
                    </th>
                    <th scope="col">Action</th>
                  </tr>
                </thead>
                <tbody>
                  {waves.map((wave) => (
                    <tr key={wave.id} aria-current={wave.id === currentId ? "true" : undefined}>
                      <th scope="row">
                        {wave.title}
                        <br />
                        <span className="fr-text--xs">{wave.callTitle}</span>
                      </th>
                      {OUTCOMES.map((outcome) => (
                        <td key={outcome} className="fr-cell--right">
                          {formatInteger(wave.counts[outcome])}
                        </td>
                      ))}
                      <td className="fr-cell--right">
                        <strong>{formatInteger(wave.counts.total)}</strong>
                      </td>
                      <td>{wave.id === currentId ? "Affichée ci-dessous" : <Link to={`?vague=${wave.id}`}>Afficher la {wave.title.toLowerCase()}</Link>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>

      {current ? (
        <section aria-labelledby="vague-courante">
          <h2 id="vague-courante">
            {current.title} : {total === 0 ? "aucun courrier à envoyer" : `${formatInteger(total)} courrier${total > 1 ? "s" : ""} à envoyer`}
          </h2>

          {total === 0 ? (
            <p>Toutes les décisions de cette vague sont notifiées. Une nouvelle décision, ou une décision rouverte puis reprise, apparaîtra ici.</p>
          ) : (
            <>
              <PendingTable pending={pending} total={total} />

              <ErrorSummary {...summary} labels={FIELD_LABELS} />
              <Form method="post" {...formProps}>
                <input type="hidden" name={fields.waveId.name} value={current.id} />
                <input type="hidden" name={fields.expected.name} value={total} />
                <h3>Courriels d'accompagnement</h3>
                {OUTCOMES.map((outcome) => {
                  const fieldset = fields[outcome].getFieldset();
                  return (
                    <fieldset key={outcome} className="fr-fieldset fr-mb-2w">
                      <legend className="fr-fieldset__legend">Courriel « {OUTCOME_LABELS[outcome]} »</legend>
                      <div className="fr-fieldset__element">
                        <TextField field={fieldset.subject} label="Objet" />
                      </div>
                      <div className="fr-fieldset__element">
                        <DossierTextArea field={fieldset.body} label="Texte" hint={<PlaceholderHint outcome={outcome} />} rows={8} />
                      </div>
                    </fieldset>
                  );
                })}
                <div className="fr-mb-4w">
                  <IntentButton intent="preview" secondary>
                    Prévisualiser les courriels
                  </IntentButton>
                </div>
                {previews.length > 0 ? <Previews previews={previews} /> : null}
                <h3>Envoi</h3>
                <DossierCheckbox field={fields.confirm} legend="Confirmation de l'envoi" label={`J'ai relu les courriels et je confirme l'envoi des ${formatInteger(total)} courriers de la ${current.title.toLowerCase()}. Un envoi ne peut pas être annulé.`} />
                <IntentButton intent="send">{`Envoyer les ${formatInteger(total)} courriers`}</IntentButton>
              </Form>
            </>
          )}

          {current.batches.length > 0 ? (
            <section aria-labelledby="envois" className="fr-mt-6w">
              <h3 id="envois">Envois de la vague</h3>
              <ul>
                {current.batches.map((batch) => (
                  <li key={batch.id}>
                    <Link to={`/programme/courriers/envois/${batch.id}`}>
                      Envoi du {formatDateTime(new Date(batch.createdAt))} par {batch.createdBy} : {formatInteger(batch.letters)} courrier{batch.letters > 1 ? "s" : ""}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </section>
      ) : (
        <Alert severity="info" small description="Aucune vague n'est configurée." />
      )}
    </>
  );
}
