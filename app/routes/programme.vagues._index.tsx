import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import simulatorCss from "~/components/programme/SimulatorTable.css?url";
import { CO_FINANCING_FORM, WaveCoFinancingForm } from "~/components/programme/WaveCoFinancingForm";
import { WaveTable } from "~/components/programme/WaveTable";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { programmeBalances } from "~/modules/budget/service.server";
import { CoFinancingSchema } from "~/modules/calls/waves";
import { callWaves, configureCoFinancing, envelopeGap, programmeCall } from "~/modules/calls/waves.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { formatEuros, formatInteger } from "~/utils/format";
import { redirectWithToast } from "~/utils/toast.server";

export const links = () => [{ rel: "stylesheet", href: simulatorCss }];

export const meta: MetaFunction = () => [{ title: "Vagues, classement et décisions — Programme — Portail Médicobus" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const call = await orErrorPage(programmeCall());
  const [waves, balances] = await Promise.all([callWaves(call.id), programmeBalances(manager, call.id)]);
  const balanceOf = new Map(balances.waves.map((wave) => [wave.id, wave.balance]));
  return json({
    call: { title: call.title, envelopeCents: call.envelopeCents, busTarget: call.busTarget, rules: { stateSharePercent: call.rules.stateSharePercent, advanceSharePercent: call.rules.advanceSharePercent } },
    waves: waves.map((wave) => ({ number: wave.number, title: wave.title, state: wave.state, opensOn: wave.opensOn, closesOn: wave.closesOn, closingTime: wave.closingTime, budgetCents: wave.budgetCents, busTarget: wave.busTarget, balance: balanceOf.get(wave.id)! })),
    total: balances.total,
    envelope: envelopeGap(call.envelopeCents, balances.total.budgetCents),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const formData = await request.formData();
  if (formData.get("intent") !== "co-financing") {
    return json({ status: "error", error: { "": ["Action inconnue : rechargez la page et recommencez."] } } satisfies FormReply, { status: 400 });
  }
  const submission = parseWithZod(formData, { schema: CoFinancingSchema });
  if (submission.status !== "success") return invalidSubmission(submission, { formId: CO_FINANCING_FORM });
  try {
    const call = await programmeCall();
    await configureCoFinancing(manager, call.id, submission.payload);
  } catch (error) {
    return replyWithError(submission, error, { formId: CO_FINANCING_FORM });
  }
  return redirectWithToast("/programme/vagues", { title: "Règles de cofinancement enregistrées", message: "Elles s'appliquent aux prochains montants attribués." });
}

export default function ProgrammeWaves() {
  const { call, waves, total, envelope } = useLoaderData<typeof loader>();
  const reply = useActionData<FormReply>() ?? null;
  return (
    <>
      <h1>Vagues, classement et décisions</h1>
      <p className="fr-text--lead">
        {call.title} : enveloppe de {formatEuros(call.envelopeCents)} pour {formatInteger(call.busTarget)} médicobus.
      </p>
      {envelope ? (
        <div className="fr-mb-3w">
          <Alert severity={envelope.kind === "over" ? "error" : "warning"} small description={envelope.message} />
        </div>
      ) : null}
      <WaveTable waves={waves} />
      <p>
        En tout : {formatEuros(total.committedCents)} engagés, {formatEuros(total.paidCents)} versés, {formatEuros(total.remainingCents)} restant à engager ; {formatInteger(total.busesCommitted)} médicobus engagés
        sur {formatInteger(call.busTarget)}.
      </p>
      <section aria-labelledby="cofinancement" className="fr-mt-6w">
        <h2 id="cofinancement">Règles de cofinancement de l'appel</h2>
        <p>
          La part de l'État est comprise entre {String(call.rules.stateSharePercent.min).replace(".", ",")} % et {String(call.rules.stateSharePercent.max).replace(".", ",")} % du coût total d'un projet ; une avance de{" "}
          {String(call.rules.advanceSharePercent).replace(".", ",")} % du montant attribué est versée à la notification.
        </p>
        <WaveCoFinancingForm lastResult={reply?.formId === CO_FINANCING_FORM || !reply?.formId ? reply : null} current={call.rules} />
      </section>
    </>
  );
}
