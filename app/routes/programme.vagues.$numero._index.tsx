import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import { useCallback, useMemo, useState } from "react";
import simulatorCss from "~/components/programme/SimulatorTable.css?url";
import { DecisionList, REOPEN_FORM } from "~/components/programme/DecisionList";
import { OVERRIDE_FORM, SimulatorOverrideForm, type DraftOverride } from "~/components/programme/SimulatorOverrideForm";
import { SimulatorTable, type RankedRow } from "~/components/programme/SimulatorTable";
import { SimulatorTotals } from "~/components/programme/SimulatorTotals";
import { WaveRankingNote } from "~/components/programme/WaveRankingNote";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { applyDecision, promotionCandidate, reopenDecision, revokeOverride, setOverride, waveClosure, waveDecisions, waveRanking } from "~/modules/budget/decisions.server";
import { OverrideFormSchema, ReopenFormSchema } from "~/modules/budget/schema";
import { rankForSimulation, simulate, type SimulationOverride } from "~/modules/budget/simulation";
import { WAVE_STATE_LABELS } from "~/modules/calls/rules";
import { formatDateTime } from "~/modules/calls/time";
import { programmeWave } from "~/modules/calls/waves.server";
import { DomainError, inputRefusalOf } from "~/utils/errors";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { formatEuros, formatInteger } from "~/utils/format";
import { redirectWithToast } from "~/utils/toast.server";

export const links = () => [{ rel: "stylesheet", href: simulatorCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.wave.title ?? "Vague"} : classement et décisions — Programme — Portail Médicobus` }];

/** The forms that answer at the top of the page (no field of their own). */
const ACTIONS_FORM = "actions";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const { wave, next } = await orErrorPage(programmeWave(manager, params.numero));
  const [ranking, decisions, closure] = await Promise.all([waveRanking(manager, wave.id), waveDecisions(manager, wave.id), waveClosure(manager, wave.id)]);
  // Proposed only to fill a place a withdrawal left: before any withdrawal, the reserve list is
  // what the decision left below the cut. The candidate is found in the ranking just read.
  const candidate = decisions.withdrawn.length > 0 ? await promotionCandidate(manager, wave.id, ranking) : null;
  return json({
    wave: { number: wave.number, title: wave.title, state: wave.state, closesAt: wave.closesAt },
    next: next ? { number: next.number, title: next.title } : null,
    closure,
    balance: ranking.balance,
    rules: ranking.rules,
    dossiers: ranking.dossiers.map((dossier) => ({
      id: dossier.id,
      reference: dossier.reference,
      title: dossier.title,
      organisationName: dossier.organisationName,
      status: dossier.status,
      consolidatedScore: dossier.consolidatedScore,
      arsScore: dossier.arsScore,
      anctScore: dossier.anctScore,
      scoreGapFlag: dossier.scoreGapFlag,
      populationCovered: dossier.populationCovered,
      submittedAt: dossier.submittedAt,
      regionCode: dossier.regionCode,
      requestedCents: dossier.requestedCents,
      totalCostCents: dossier.totalCostCents,
      recommendedCents: dossier.recommendedCents,
    })),
    overrides: ranking.overrides.map((override) => ({ applicationId: override.applicationId, mode: override.mode, awardedCents: override.awardedCents, justification: override.justification, authorName: override.authorName })),
    decisions: decisions.current,
    withdrawn: decisions.withdrawn,
    candidate,
  });
}

/** A refusal of a form without fields (withdraw an override, promote), said at the top of the page with its status. */
function topRefusal(error: unknown) {
  const refusal = inputRefusalOf(error);
  if (!refusal) throw error;
  return json({ status: "error", error: { "": [refusal.message] }, formId: ACTIONS_FORM, code: refusal.code } satisfies FormReply, { status: refusal.status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const { wave } = await orErrorPage(programmeWave(manager, params.numero));
  const here = `/programme/vagues/${wave.number}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const reference = String(formData.get("reference") ?? "");

  if (intent === "override") {
    const submission = parseWithZod(formData, { schema: OverrideFormSchema });
    if (submission.status !== "success") return invalidSubmission(submission, { formId: OVERRIDE_FORM });
    try {
      await setOverride(manager, wave.id, submission.value);
    } catch (error) {
      // The service names the amount `awardedCents`; the form calls it `amount`.
      if (error instanceof DomainError && error.fieldErrors.awardedCents) {
        const { awardedCents, ...others } = error.fieldErrors;
        return replyWithError(submission, new DomainError(error.code, error.status, error.message, { ...others, amount: awardedCents }), { formId: OVERRIDE_FORM });
      }
      return replyWithError(submission, error, { formId: OVERRIDE_FORM });
    }
    return redirectWithToast(`${here}#classement`, { title: "Dérogation enregistrée", message: `La dérogation sur ${submission.value.reference} et sa justification sont conservées ; la simulation en tient compte.` });
  }

  if (intent === "reopen") {
    const submission = parseWithZod(formData, { schema: ReopenFormSchema });
    if (submission.status !== "success") return invalidSubmission(submission, { formId: REOPEN_FORM });
    const { current } = await waveDecisions(manager, wave.id);
    if (!current.some((decision) => decision.reference === submission.value.reference)) {
      return replyWithError(submission, new DomainError("decision_not_found", 404, "Aucune décision en vigueur sur ce dossier dans cette vague."), { formId: REOPEN_FORM });
    }
    try {
      await reopenDecision(manager, submission.value.reference, { motivation: submission.value.motivation });
    } catch (error) {
      return replyWithError(submission, error, { formId: REOPEN_FORM });
    }
    return redirectWithToast(here, { title: "Décision rouverte", message: `${submission.value.reference} revient au statut « Instruit » et retrouve sa place dans le classement.` });
  }

  if (intent === "revoke") {
    try {
      await revokeOverride(manager, wave.id, reference);
    } catch (error) {
      return topRefusal(error);
    }
    return redirectWithToast(`${here}#classement`, { title: "Dérogation retirée", message: `${reference} retrouve sa place selon le classement ; la dérogation retirée reste dans l'historique.` });
  }

  if (intent === "promote") {
    try {
      const candidate = await promotionCandidate(manager, wave.id);
      if (!candidate || candidate.reference !== reference) {
        throw new DomainError("not_candidate", 409, "Ce dossier n'est plus le premier de la liste complémentaire qui tient dans le reste à engager : la page a été mise à jour.");
      }
      await applyDecision(manager, wave.id, { decisions: [{ reference, outcome: "selected", awardedCents: candidate.proposedCents, motivation: `Promotion depuis la liste complémentaire (rang ${candidate.waitlistRank}) après un retrait.` }] });
      return redirectWithToast(here, { title: "Dossier promu", message: `${reference} est retenu pour ${formatEuros(candidate.proposedCents)} ; le montant est engagé sur la vague.` });
    } catch (error) {
      return topRefusal(error);
    }
  }

  return json({ status: "error", error: { "": ["Action inconnue : rechargez la page et recommencez."] }, formId: ACTIONS_FORM } satisfies FormReply, { status: 400 });
}

/**
 * Opening or closing an inline form only changes the search (?derogation=…, ?rouvrir=…): the
 * ranking does not need to be read again for that, which keeps the page quick on a large wave.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (!formMethod && currentUrl.pathname === nextUrl.pathname) return false;
  return defaultShouldRevalidate;
};

const MODES = ["include", "exclude", "amount"] as const;

export default function WaveRankingPage() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<FormReply>() ?? null;
  const [searchParams] = useSearchParams();
  const [draft, setDraft] = useState<DraftOverride | null>(null);
  const here = `/programme/vagues/${data.wave.number}`;

  const dossiers = useMemo<RankedRow[]>(() => data.dossiers.map((dossier) => ({ ...dossier, submittedAt: dossier.submittedAt ? new Date(dossier.submittedAt) : null })), [data.dossiers]);
  const ranked = useMemo(() => rankForSimulation(dossiers, data.rules), [dossiers, data.rules]);
  const byReference = useMemo(() => new Map(ranked.dossiers.map((dossier) => [dossier.reference, dossier as RankedRow])), [ranked]);
  const draftDossier = draft ? byReference.get(draft.reference) : undefined;
  // The simulation the manager sees: the stored overrides, the one being typed in place of the stored one of its dossier.
  const simulation = useMemo(() => {
    const overrides: SimulationOverride[] = data.overrides.filter((override) => override.applicationId !== draftDossier?.id);
    if (draft && draftDossier) overrides.push({ applicationId: draftDossier.id, mode: draft.mode, awardedCents: draft.awardedCents, justification: "Aperçu de la saisie" });
    return simulate(ranked, { remainingCents: data.balance.remainingCents, remainingBuses: data.balance.busesRemaining, overrides });
  }, [ranked, data.overrides, data.balance, draft, draftDossier]);
  const storedOverrides = useMemo(() => new Map(data.overrides.map((override) => [override.applicationId, override])), [data.overrides]);

  const requestedEdit = searchParams.get("derogation");
  const editing = requestedEdit && byReference.has(requestedEdit) ? requestedEdit : null;
  const requestedReopen = searchParams.get("rouvrir");
  const reopening = requestedReopen && data.decisions.some((decision) => decision.reference === requestedReopen) ? requestedReopen : null;
  const onDraft = useCallback((next: DraftOverride | null) => setDraft(next), []);
  const replyFor = (formId: string) => (reply?.formId === formId ? reply : null);
  const topError = reply?.status === "error" && reply.formId === ACTIONS_FORM ? (reply.error?.[""]?.[0] ?? "Votre demande n'a pas abouti.") : null;

  const renderForm = (dossier: RankedRow) => {
    const position = ranked.positionById.get(dossier.id)!;
    const stored = storedOverrides.get(dossier.id);
    const row = simulation.rows[position];
    const askedMode = searchParams.get("mode");
    const defaultMode = MODES.find((mode) => mode === askedMode) ?? stored?.mode ?? (row.outcome === "funded" || row.outcome === "included" ? "exclude" : row.outcome === "amount_to_fix" ? "amount" : "include");
    return (
      <SimulatorOverrideForm
        key={dossier.reference}
        reference={dossier.reference}
        proposedCents={ranked.defaultAwards[position]}
        requestedCents={dossier.requestedCents}
        initial={{ mode: defaultMode, awardedCents: stored?.awardedCents ?? null, justification: stored?.justification ?? "" }}
        lastResult={replyFor(OVERRIDE_FORM)}
        closeTo={`${here}#classement`}
        onDraft={onDraft}
        effect={`Simulation avec cette saisie : ${formatInteger(simulation.totals.funded)} dossiers financés pour ${formatEuros(simulation.totals.awardedCents)} ; reste ${formatEuros(simulation.remainingCents)} et ${formatInteger(simulation.remainingBuses)} médicobus.`}
      />
    );
  };

  const canDecide = data.closure === null;
  return (
    <>
      <Breadcrumb currentPageLabel={data.wave.title} segments={[{ label: "Vagues", linkProps: { to: "/programme/vagues" } }]} />
      <h1>{data.wave.title} : classement et décisions</h1>
      <p>
        Vague {WAVE_STATE_LABELS[data.wave.state].toLowerCase()} (dépôts jusqu'au {formatDateTime(new Date(data.wave.closesAt))}, heure de Paris). Budget disponible : {formatEuros(data.balance.availableCents)} pour{" "}
        {formatInteger(data.balance.busesAvailable)} médicobus ; engagé : {formatEuros(data.balance.committedCents)} ({formatInteger(data.balance.busesCommitted)} médicobus) ; versé : {formatEuros(data.balance.paidCents)}.
      </p>
      {data.closure ? (
        <div className="fr-mb-3w">
          <Alert
            severity="info"
            small
            description={`Vague clôturée le ${formatDateTime(new Date(data.closure.at))}${data.closure.actorName ? ` par ${data.closure.actorName}` : ""} : ${formatEuros(data.closure.carriedCents)} et ${formatInteger(data.closure.carriedBuses)} médicobus reportés, ${formatInteger(data.closure.waitlistCarried)} dossier${data.closure.waitlistCarried > 1 ? "s" : ""} de la liste complémentaire reporté${data.closure.waitlistCarried > 1 ? "s" : ""}${data.next ? ` sur la ${data.next.title.toLowerCase()}` : ""}.`}
          />
        </div>
      ) : null}
      <ul className="fr-btns-group fr-btns-group--inline-md fr-mb-3w">
        {canDecide && data.dossiers.length > 0 ? (
          <li>
            <Link className="fr-btn" to={`${here}/decision`}>
              Appliquer la décision
            </Link>
          </li>
        ) : null}
        {canDecide && data.next ? (
          <li>
            <Link className="fr-btn fr-btn--secondary" to={`${here}/cloture`}>
              Clôturer la vague et reporter
            </Link>
          </li>
        ) : null}
        <li>
          <Link className="fr-btn fr-btn--tertiary" to={`${here}/configuration`}>
            Configurer la vague
          </Link>
        </li>
      </ul>

      {topError ? (
        <div className="fr-mb-3w" role="alert">
          <Alert severity="error" as="h2" title="Action refusée" description={topError} />
        </div>
      ) : null}

      {data.withdrawn.length > 0 ? (
        <section aria-labelledby="retraits" className="fr-mb-3w">
          <h2 id="retraits" className="fr-h5">
            Retraits après décision
          </h2>
          <ul>
            {data.withdrawn.map((dossier) => (
              <li key={dossier.reference}>
                {dossier.reference} ({dossier.organisationName}) retiré par son porteur le {formatDateTime(new Date(dossier.withdrawnAt!))} : son engagement de {formatEuros(dossier.awardedCents ?? 0)} est libéré.
              </li>
            ))}
          </ul>
          {data.candidate ? (
            <div className="fr-alert fr-alert--info">
              <h3 className="fr-alert__title">Dossier à promouvoir : {data.candidate.reference}</h3>
              <p>
                Premier de la liste complémentaire (rang {data.candidate.waitlistRank}) qui tient dans le reste à engager, pour {formatEuros(data.candidate.proposedCents)}. Le promouvoir le retient et engage ce montant sur la vague.
              </p>
              <Form method="post" className="fr-mt-2w">
                <input type="hidden" name="intent" value="promote" />
                <input type="hidden" name="reference" value={data.candidate.reference} />
                <button type="submit" className="fr-btn">
                  Promouvoir {data.candidate.reference}
                </button>
              </Form>
            </div>
          ) : (
            <p>Aucun dossier de la liste complémentaire ne tient dans le reste à engager.</p>
          )}
        </section>
      ) : null}

      {data.dossiers.length === 0 ? (
        <p>Aucun dossier instruit n'attend de décision sur cette vague.</p>
      ) : (
        <>
          <SimulatorTotals simulation={simulation} remaining={{ cents: data.balance.remainingCents, buses: data.balance.busesRemaining }} preview={draft !== null} />
          <WaveRankingNote thresholds={data.rules.fundingThresholds} band={data.rules.stateSharePercent} />
          <SimulatorTable
            caption={`Classement de la ${data.wave.title.toLowerCase()} : ${formatInteger(data.dossiers.length)} dossier${data.dossiers.length > 1 ? "s" : ""} et simulation de la ligne de coupure`}
            dossiers={ranked.dossiers as RankedRow[]}
            simulation={simulation}
            overrides={storedOverrides}
            editing={editing}
            draftReference={draft?.reference ?? null}
            adjustHref={(reference) => `${here}?derogation=${encodeURIComponent(reference)}#${OVERRIDE_FORM}-titre`}
            renderForm={renderForm}
          />
        </>
      )}

      <section aria-labelledby="decisions" className="fr-mt-6w">
        <h2 id="decisions">Décisions de la vague</h2>
        <DecisionList decisions={data.decisions} reopening={reopening} reopenHref={(reference) => `${here}?rouvrir=${encodeURIComponent(reference)}`} closeTo={here} lastResult={replyFor(REOPEN_FORM)} />
      </section>
    </>
  );
}
