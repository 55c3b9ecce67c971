import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import type { SessionUser } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { closeWave, waveClosure, waveDecisions, waveRanking } from "~/modules/budget/decisions.server";
import { programmeWave } from "~/modules/calls/waves.server";
import { DomainError } from "~/utils/errors";
import { formatEuros, formatInteger } from "~/utils/format";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Clôturer la ${data?.wave.title.toLowerCase() ?? "vague"} — Programme — Portail Médicobus` }];

/**
 * What closing the wave would do now, and what stops it: a wave already closed, no wave after
 * it, or reviewed dossiers still waiting for a decision (they would be left behind).
 */
async function closingOutlook(manager: SessionUser, rawNumber: string | undefined) {
  const { wave, next } = await orErrorPage(programmeWave(manager, rawNumber));
  if (!next) throw new Response(`La ${wave.title.toLowerCase()} est la dernière de l'appel : il n'y a pas de vague sur laquelle reporter.`, { status: 404 });
  const [ranking, decisions, closure] = await Promise.all([waveRanking(manager, wave.id), waveDecisions(manager, wave.id), waveClosure(manager, wave.id)]);
  const waitlist = decisions.current.filter((decision) => decision.outcome === "waitlisted");
  const undecided = ranking.dossiers.filter((dossier) => dossier.status === "reviewed").length;
  return { wave, next, balance: ranking.balance, waitlist, undecided, closure };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const outlook = await closingOutlook(manager, params.numero);
  return json({
    wave: { number: outlook.wave.number, title: outlook.wave.title },
    next: { number: outlook.next.number, title: outlook.next.title },
    remainder: { cents: Math.max(0, outlook.balance.remainingCents), buses: Math.max(0, outlook.balance.busesRemaining) },
    waitlist: outlook.waitlist.map((decision) => ({ reference: decision.reference, organisationName: decision.organisationName, rank: decision.waitlistRank })),
    undecided: outlook.undecided,
    closed: outlook.closure !== null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const outlook = await closingOutlook(manager, params.numero);
  const motivation = String((await request.formData()).get("motivation") ?? "").trim();
  // Already closed, or dossiers still undecided: closeWave refuses it (409) under the waves' locks.
  if (motivation.length > 5000) return json({ error: "Le commentaire fait plus de 5 000 caractères." }, { status: 400 });
  let summary;
  try {
    summary = await closeWave(manager, { fromWaveId: outlook.wave.id, toWaveId: outlook.next.id, motivation: motivation || null });
  } catch (error) {
    if (error instanceof DomainError) return json({ error: error.message }, { status: error.status });
    throw error;
  }
  return redirectWithToast(`/programme/vagues/${outlook.next.number}`, {
    title: `${outlook.wave.title} clôturée`,
    message: `${formatEuros(summary.carriedCents)} et ${formatInteger(summary.carriedBuses)} médicobus reportés sur la ${outlook.next.title.toLowerCase()}, avec ${formatInteger(summary.waitlistCarried)} dossier${summary.waitlistCarried > 1 ? "s" : ""} de la liste complémentaire.`,
  });
}

export default function CloseWavePage() {
  const { wave, next, remainder, waitlist, undecided, closed } = useLoaderData<typeof loader>();
  const reply = useActionData<{ error: string }>();
  const navigation = useNavigation();
  const alertRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (reply) alertRef.current?.focus();
  }, [reply]);
  const here = `/programme/vagues/${wave.number}`;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Clôturer et reporter"
        segments={[
          { label: "Vagues", linkProps: { to: "/programme/vagues" } },
          { label: wave.title, linkProps: { to: here } },
        ]}
      />
      <h1>Clôturer la {wave.title.toLowerCase()} et reporter</h1>
      {reply ? (
        <div ref={alertRef} tabIndex={-1} role="alert" className="fr-alert fr-alert--error fr-mb-4w">
          <h2 className="fr-alert__title">La vague n'a pas été clôturée</h2>
          <p>{reply.error}</p>
        </div>
      ) : null}
      {closed ? (
        <Alert severity="info" small description={`La ${wave.title.toLowerCase()} est déjà clôturée.`} />
      ) : (
        <>
          <div className="fr-callout fr-mb-4w">
            <h2 className="fr-callout__title fr-h5">Ce qui va se passer</h2>
            <ul className="fr-callout__text fr-text--md">
              <li>
                Le reste de la {wave.title.toLowerCase()}, <strong>{formatEuros(remainder.cents)}</strong> et <strong>{formatInteger(remainder.buses)} médicobus</strong>, est reporté sur la {next.title.toLowerCase()} ;
              </li>
              <li>
                <strong>
                  {formatInteger(waitlist.length)} dossier{waitlist.length > 1 ? "s" : ""} de la liste complémentaire
                </strong>{" "}
                {waitlist.length > 1 ? "sont reportés" : "est reporté"}, dans le même ordre, après la liste complémentaire propre à la {next.title.toLowerCase()} ;
              </li>
              <li>plus aucune décision ne peut être appliquée sur la {wave.title.toLowerCase()}.</li>
            </ul>
          </div>
          {undecided > 0 ? (
            <div className="fr-mb-3w">
              <Alert severity="warning" small description={`${undecided === 1 ? "Un dossier instruit attend" : `${undecided} dossiers instruits attendent`} encore une décision : appliquez la décision avant de clôturer.`} />
            </div>
          ) : null}
          {waitlist.length > 0 ? (
            <div className="fr-table fr-table--no-scroll">
              <table>
                <caption>Liste complémentaire reportée sur la {next.title.toLowerCase()}</caption>
                <thead>
                  <tr>
                    <th scope="col">Rang actuel</th>
                    <th scope="col">Dossier</th>
                    <th scope="col">Porteur</th>
                  </tr>
                </thead>
                <tbody>
                  {waitlist.map((dossier) => (
                    <tr key={dossier.reference}>
                      <td>{dossier.rank}</td>
                      <th scope="row">{dossier.reference}</th>
                      <td>{dossier.organisationName}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <Form method="post">
            <Input label="Commentaire (facultatif)" hintText="Conservé dans le registre budgétaire et le journal d'audit." textArea nativeTextAreaProps={{ name: "motivation", rows: 3, maxLength: 5000 }} />
            <ul className="fr-btns-group fr-btns-group--inline-md">
              <li>
                <button type="submit" className="fr-btn" disabled={navigation.state === "submitting"}>
                  Confirmer la clôture et le report
                </button>
              </li>
              <li>
                <Link className="fr-btn fr-btn--secondary" to={here}>
                  Revenir au classement
                </Link>
              </li>
            </ul>
          </Form>
        </>
      )}
    </>
  );
}
