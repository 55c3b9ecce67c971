import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { WAVE_CONFIGURATION_FORM, WaveConfigurationForm } from "~/components/programme/WaveConfigurationForm";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { waveBalances } from "~/modules/budget/service.server";
import { WaveConfigurationSchema } from "~/modules/calls/waves";
import { configureWave, programmeWave } from "~/modules/calls/waves.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { formatEuros, formatInteger } from "~/utils/format";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Configurer la ${data?.wave.title.toLowerCase() ?? "vague"} — Programme — Portail Médicobus` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const { wave } = await orErrorPage(programmeWave(manager, params.numero));
  const { balance } = await waveBalances(manager, wave.id);
  return json({
    wave: { number: wave.number, title: wave.title, opensOn: wave.opensOn, closesOn: wave.closesOn, closingTime: wave.closingTime, budgetCents: wave.budgetCents, busTarget: wave.busTarget, regionBusQuotas: wave.regionBusQuotas },
    balance,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const { wave } = await orErrorPage(programmeWave(manager, params.numero));
  const submission = parseWithZod(await request.formData(), { schema: WaveConfigurationSchema });
  if (submission.status !== "success") return invalidSubmission(submission, { formId: WAVE_CONFIGURATION_FORM });
  let result;
  try {
    result = await configureWave(manager, wave.id, submission.payload);
  } catch (error) {
    return replyWithError(submission, error, { formId: WAVE_CONFIGURATION_FORM });
  }
  return redirectWithToast(
    "/programme/vagues",
    result.warning
      ? { severity: "warning", title: `Configuration de la ${wave.title.toLowerCase()} enregistrée`, message: result.warning }
      : { title: `Configuration de la ${wave.title.toLowerCase()} enregistrée`, message: "Les budgets des vagues couvrent exactement l'enveloppe de l'appel." },
  );
}

export default function WaveConfiguration() {
  const { wave, balance } = useLoaderData<typeof loader>();
  const reply = useActionData<FormReply>() ?? null;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Configuration"
        segments={[
          { label: "Vagues", linkProps: { to: "/programme/vagues" } },
          { label: wave.title, linkProps: { to: `/programme/vagues/${wave.number}` } },
        ]}
      />
      <h1>Configurer la {wave.title.toLowerCase()}</h1>
      {balance.committedCents > 0 || balance.busesCommitted > 0 ? (
        <div className="fr-mb-3w">
          <Alert
            severity="info"
            small
            description={`${formatEuros(balance.committedCents)} et ${formatInteger(balance.busesCommitted)} médicobus sont déjà engagés sur cette vague : le budget et l'objectif ne peuvent pas descendre en dessous.`}
          />
        </div>
      ) : null}
      <WaveConfigurationForm lastResult={reply} current={wave} waveTitle={wave.title} />
    </>
  );
}
