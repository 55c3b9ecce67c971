import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DecisionConfirmation, motivationField, type DecisionReply } from "~/components/programme/DecisionConfirmation";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import type { SessionUser } from "~/modules/auth/roles";
import { decisionLines, planDecision, planFingerprint } from "~/modules/budget/decision-plan";
import { applyDecision, waveClosure, waveDecisions, waveRanking } from "~/modules/budget/decisions.server";
import { programmeWave } from "~/modules/calls/waves.server";
import { DomainError } from "~/utils/errors";
import { formatEuros, formatInteger } from "~/utils/format";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Appliquer la décision — ${data?.wave.title ?? "Vague"} — Programme — Portail Médicobus` }];

/**
 * The decision the simulation gives now, as the confirmation shows it and as the action applies
 * it: both read it from the stored overrides and the ledger, never from the browser.
 */
async function currentPlan(manager: SessionUser, waveId: string) {
  const [ranking, decisions] = await Promise.all([waveRanking(manager, waveId), waveDecisions(manager, waveId)]);
  const lastWaitlistRank = decisions.current.reduce((last, decision) => Math.max(last, decision.waitlistRank ?? 0), 0);
  const plan = planDecision(ranking.simulation, ranking.dossiers, { lastWaitlistRank });
  return { ranking, plan, fingerprint: planFingerprint(plan) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const { wave } = await orErrorPage(programmeWave(manager, params.numero));
  const [{ ranking, plan, fingerprint }, closure] = await Promise.all([currentPlan(manager, wave.id), waveClosure(manager, wave.id)]);
  return json({ wave: { number: wave.number, title: wave.title }, closed: closure !== null, balance: ranking.balance, plan, fingerprint });
}

function refusal(status: number, message: string, fieldErrors: Record<string, string[]> = {}, values: Record<string, string> = {}) {
  return json({ status: "error", error: { "": [message], ...fieldErrors }, values } satisfies DecisionReply, { status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const { wave } = await orErrorPage(programmeWave(manager, params.numero));
  const formData = await request.formData();
  const values: Record<string, string> = {};
  for (const [name, value] of formData) if (typeof value === "string" && (name === "commonMotivation" || name.startsWith("motivation-"))) values[name] = value;
  if (await waveClosure(manager, wave.id)) return refusal(409, `La ${wave.title.toLowerCase()} est clôturée : ses décisions ne peuvent plus être appliquées.`);
  const { plan, fingerprint } = await currentPlan(manager, wave.id);
  if (formData.get("fingerprint") !== fingerprint) {
    return refusal(409, "Le classement, les dérogations ou le budget ont changé depuis l'affichage de ce récapitulatif (un autre membre de l'équipe a pu agir). Vérifiez le récapitulatif mis à jour, puis appliquez à nouveau.", {}, values);
  }
  if (plan.toFix.length > 0) return refusal(409, `Corrigez d'abord le montant de ${plan.toFix.map((dossier) => dossier.reference).join(", ")} par une dérogation : il sort des règles d'attribution.`, {}, values);
  const common = values.commonMotivation?.trim() ?? "";
  const unmotivated = plan.rejected.filter((dossier) => !common && !values[motivationField(dossier.reference)]?.trim());
  if (unmotivated.length > 0) {
    const message = "Écrivez la motivation commune des refus, ou une motivation pour chaque dossier non retenu.";
    return refusal(400, "La décision n'est pas motivée pour tous les dossiers non retenus.", { commonMotivation: [message] }, values);
  }
  const byReference = Object.fromEntries(plan.rejected.map((dossier) => [dossier.reference, values[motivationField(dossier.reference)]]));
  const lines = decisionLines(plan, { common, byReference });
  let counts;
  try {
    counts = await applyDecision(manager, wave.id, { decisions: lines });
  } catch (error) {
    if (error instanceof DomainError) return refusal(error.status, error.message, {}, values);
    throw error;
  }
  return redirectWithToast(`/programme/vagues/${wave.number}`, {
    title: "Décision appliquée",
    message: `${formatInteger(counts.selected)} retenu${counts.selected > 1 ? "s" : ""} pour ${formatEuros(counts.committedCents)} engagés, ${formatInteger(counts.waitlisted)} en liste complémentaire, ${formatInteger(counts.rejected)} non retenu${counts.rejected > 1 ? "s" : ""}.`,
  });
}

export default function ApplyDecisionPage() {
  const { wave, closed, balance, plan, fingerprint } = useLoaderData<typeof loader>();
  const reply = useActionData<DecisionReply>() ?? null;
  const here = `/programme/vagues/${wave.number}`;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Appliquer la décision"
        segments={[
          { label: "Vagues", linkProps: { to: "/programme/vagues" } },
          { label: wave.title, linkProps: { to: here } },
        ]}
      />
      <h1>Appliquer la décision de la {wave.title.toLowerCase()}</h1>
      {closed ? (
        <Alert severity="info" small description={`La ${wave.title.toLowerCase()} est clôturée : ses décisions ne peuvent plus être appliquées.`} />
      ) : (
        <DecisionConfirmation plan={plan} fingerprint={fingerprint} balance={balance} reply={reply} backTo={here} />
      )}
    </>
  );
}
