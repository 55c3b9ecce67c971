import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import type { ZodType } from "zod";
import { AdmissibilityChecklist } from "~/components/instruction/AdmissibilityChecklist";
import { ADMISSIBILITY_FORMS, AdmitForm, CorrectionsForm, IneligibleForm } from "~/components/instruction/AdmissibilityForms";
import { AdmitSchema, CorrectionsSchema, IneligibleSchema } from "~/components/instruction/AdmissibilitySchemas";
import { dossierTab, INSTRUCTION_DOSSIER_ROUTE_ID, useInstructionData, type InstructionDossierData } from "~/components/instruction/DossierData";
import { SECTION_TITLES } from "~/components/dossier/DossierLinks";
import { STATUS_LABELS } from "~/modules/applications/lifecycle";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { findDossierForAgent } from "~/modules/instruction/policy.server";
import { admitDossier, declareIneligible, requestCorrections } from "~/modules/instruction/service.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { publicOrigin } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = ({ matches }) => {
  const data = matches.find((match) => match.id === INSTRUCTION_DOSSIER_ROUTE_ID)?.data as InstructionDossierData | undefined;
  return [{ title: `Recevabilité — ${data?.dossier.reference ?? "Dossier"} — Instruction — Portail Médicobus` }];
};

type Intent = keyof typeof ADMISSIBILITY_FORMS;

/**
 * Three outcomes of the recevabilité, each its own form posting here with its intent. The dossier
 * is looked up in the agent's scope first (404 outside it); the services then refuse (403) anyone
 * but the ARS of its région and (409) a dossier whose status does not allow the outcome.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const reference = params.reference ?? "";
  await orErrorPage(findDossierForAgent(agent, reference));
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "") as Intent;
  const schemas: Record<Intent, ZodType> = { admit: AdmitSchema, ineligible: IneligibleSchema, corrections: CorrectionsSchema };
  if (!(intent in schemas)) {
    return json({ status: "error", error: { "": ["Action inconnue : rechargez la page et recommencez."] } } satisfies FormReply, { status: 400 });
  }
  const formId = ADMISSIBILITY_FORMS[intent];
  const here = dossierTab(reference, "recevabilite");

  if (intent === "corrections") {
    const submission = parseWithZod(formData, { schema: CorrectionsSchema });
    if (submission.status !== "success") return invalidSubmission(submission, { formId });
    try {
      await requestCorrections(agent, reference, { ...submission.value, origin: publicOrigin(request) });
    } catch (error) {
      return replyWithError(submission, error, { formId });
    }
    return redirectWithToast(here, { title: "Corrections demandées", message: "Les parties choisies sont rouvertes et le porteur de projet est prévenu par courriel." });
  }

  const submission = parseWithZod(formData, { schema: intent === "admit" ? AdmitSchema : IneligibleSchema });
  if (submission.status !== "success") return invalidSubmission(submission, { formId });
  try {
    if (intent === "admit") await admitDossier(agent, reference, { motivation: submission.value.motivation });
    else await declareIneligible(agent, reference, { motivation: submission.value.motivation, origin: publicOrigin(request) });
  } catch (error) {
    return replyWithError(submission, error, { formId });
  }
  return redirectWithToast(
    here,
    intent === "admit"
      ? { title: "Dossier recevable", message: "Le dossier passe en instruction : ses évaluations peuvent commencer." }
      : { title: "Dossier irrecevable", message: "La décision et sa motivation sont envoyées par courriel au porteur de projet." },
  );
}

/** The last admissibility decision, when there is one: who, when and why. */
function lastDecision(events: InstructionDossierData["events"]) {
  return events.findLast((event) => event.event === "admit" || event.event === "declare_ineligible") ?? null;
}

export default function InstructionAdmissibility() {
  const data = useInstructionData();
  const reply = useActionData<FormReply>() ?? null;
  const { dossier, can, territory } = data;
  const replyFor = (formId: string) => (reply?.formId === formId ? reply : null);
  const decision = lastDecision(data.events);
  const correction = dossier.status === "changes_requested" ? (data.events.findLast((event) => event.event === "request_changes") ?? null) : null;
  const isArsHere = can.decideAdmissibility || can.requestCorrections;
  // An answer to a form the page does not show (a request crafted by hand, a page left open
  // while the status changed): said at the top, with the status the server answered.
  const shownForms: string[] = [...(can.decideAdmissibility ? [ADMISSIBILITY_FORMS.admit, ADMISSIBILITY_FORMS.ineligible] : []), ...(can.requestCorrections ? [ADMISSIBILITY_FORMS.corrections] : [])];
  const orphanRefusal = reply && reply.status === "error" && !shownForms.includes(reply.formId ?? "") ? (reply.error?.[""]?.[0] ?? "Votre demande n'a pas abouti.") : null;

  return (
    <>
      <h2>Recevabilité</h2>
      {orphanRefusal ? (
        <div className="fr-mb-3w" role="alert">
          <Alert severity="error" as="h3" title="Action refusée" description={orphanRefusal} />
        </div>
      ) : null}

      <section aria-labelledby="verifications" className="fr-mb-5w">
        <h3 id="verifications">Vérifications de l'appel à projets</h3>
        <AdmissibilityChecklist items={data.checklist} />
      </section>

      {decision ? (
        <section aria-labelledby="decision" className="fr-mb-5w">
          <h3 id="decision">Décision</h3>
          <div className="fr-highlight fr-ml-0">
            <p className="fr-mb-1v">
              <strong>{decision.event === "admit" ? "Déclaré recevable" : "Déclaré irrecevable"}</strong> le {formatDateTime(new Date(decision.createdAt))}
              {decision.actorName ? ` par ${decision.actorName}` : ""}
            </p>
            {decision.motivation ? <p className="fr-mb-0" style={{ whiteSpace: "pre-wrap" }}>Motivation : {decision.motivation}</p> : null}
          </div>
        </section>
      ) : null}

      {correction ? (
        <section aria-labelledby="correction-en-cours" className="fr-mb-5w">
          <h3 id="correction-en-cours">Corrections en cours</h3>
          <p>
            Demandées le {formatDateTime(new Date(correction.createdAt))}
            {correction.actorName ? ` par ${correction.actorName}` : ""}. Parties rouvertes :{" "}
            {dossier.reopenedSections.map((key) => SECTION_TITLES[key as keyof typeof SECTION_TITLES] ?? key).join(", ")}. Le dossier reviendra au statut « Déposé » quand le porteur l'aura déposé à nouveau.
          </p>
        </section>
      ) : null}

      {!isArsHere ? (
        <div className="fr-notice fr-notice--info fr-mb-3w">
          <div className="fr-container">
            <div className="fr-notice__body">
              <p className="fr-notice__title">
                Seule l'agence régionale de santé {territory.regionName ? `de la région ${territory.regionName} ` : ""}se prononce sur la recevabilité de ce dossier et demande des corrections.
              </p>
            </div>
          </div>
        </div>
      ) : null}

      {can.decideAdmissibility ? (
        <>
          <section aria-labelledby="declarer-recevable" className="fr-mb-5w">
            <h3 id="declarer-recevable">Déclarer recevable</h3>
            <p>Le dossier passe au statut « {STATUS_LABELS.under_review} » : ses évaluations ARS et ANCT peuvent commencer.</p>
            <AdmitForm lastResult={replyFor(ADMISSIBILITY_FORMS.admit)} />
          </section>
          <section aria-labelledby="declarer-irrecevable" className="fr-mb-5w">
            <h3 id="declarer-irrecevable">Déclarer irrecevable</h3>
            <p>Le dossier passe au statut « {STATUS_LABELS.ineligible} » : son instruction s'arrête et le porteur de projet reçoit la motivation par courriel.</p>
            <IneligibleForm lastResult={replyFor(ADMISSIBILITY_FORMS.ineligible)} />
          </section>
        </>
      ) : isArsHere && dossier.status !== "submitted" && !decision ? (
        <p>Le dossier est au statut « {STATUS_LABELS[dossier.status]} » : la recevabilité ne se décide qu'une fois le dossier déposé.</p>
      ) : null}

      {can.requestCorrections ? (
        <section aria-labelledby="demander-corrections" className="fr-mb-5w">
          <h3 id="demander-corrections">Demander des corrections</h3>
          <p>Le dossier passe au statut « {STATUS_LABELS.changes_requested} » ; il revient à l'instruction quand le porteur l'a déposé à nouveau.</p>
          <CorrectionsForm lastResult={replyFor(ADMISSIBILITY_FORMS.corrections)} />
        </section>
      ) : null}
    </>
  );
}
