import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { Rubric } from "~db/schema";
import { db } from "~db/client.server";
import { ErrorSummary, SelectField, SubmitButton, useValidatedForm } from "~/components/forms";
import { AssignReport, type AutoAssignReportView } from "~/components/instruction/AssignReport";
import { hasRole, type SessionUser } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { listWaves } from "~/modules/calls/service.server";
import { regionName } from "~/modules/geo/regions";
import { assignAutomatically, candidateEvaluators } from "~/modules/instruction/assignments.server";
import { AutoAssignSchema, RUBRIC_LABELS } from "~/modules/instruction/schema";
import { scopeCovers } from "~/modules/instruction/scope";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { publicOrigin } from "~/utils/request.server";
import { formatInteger } from "~/utils/format";
import { rubricName } from "~/components/instruction/DossierEvaluations";

export const meta: MetaFunction = () => [{ title: "Affectation automatique des évaluations — Instruction — Portail Médicobus" }];

/** Who runs « assign automatically »: the programme team (both rubrics, all of France), an ARS agent (ARS rubric, its région). */
const ASSIGNER_ROLES = ["program_manager", "ars_agent"] as const;

function reachOf(agent: SessionUser) {
  if (hasRole(agent, "program_manager")) return { rubrics: ["ars", "anct"] as Rubric[], regionCodes: null };
  const regionCodes = agent.roles.filter((grant) => grant.role === "ars_agent" && grant.regionCode).map((grant) => grant.regionCode as string);
  return { rubrics: ["ars"] as Rubric[], regionCodes };
}

/** The evaluators of a rubric the agent hands work to, with their current load: who the run will spread dossiers over. */
async function evaluatorLoads(rubric: Rubric, regionCodes: string[] | null) {
  const candidates = await candidateEvaluators(db, rubric);
  return candidates
    .filter((candidate) => regionCodes === null || regionCodes.some((code) => scopeCovers(candidate.scope, code)))
    .map((candidate) => ({ id: candidate.id, name: candidate.name, load: candidate.load, scope: candidate.scope.national ? "France entière" : candidate.scope.regionCodes.map(regionName).join(", ") }))
    .sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const agent = await requireRole(request, ASSIGNER_ROLES);
  const reach = reachOf(agent);
  const [waves, ...loads] = await Promise.all([listWaves(), ...reach.rubrics.map((rubric) => evaluatorLoads(rubric, reach.regionCodes))]);
  return json({
    rubrics: reach.rubrics,
    scopeLabel: reach.regionCodes === null ? "France entière" : reach.regionCodes.map(regionName).join(", "),
    waves: waves.map((wave) => ({ value: wave.id, label: `${wave.callTitle} — ${wave.title}` })),
    evaluators: reach.rubrics.map((rubric, index) => ({ rubric, people: loads[index] })),
  });
}

type ActionReply = FormReply | { report: AutoAssignReportView };

export async function action({ request }: ActionFunctionArgs) {
  const agent = await requireRole(request, ASSIGNER_ROLES);
  const submission = parseWithZod(await request.formData(), { schema: AutoAssignSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  let report;
  try {
    report = await assignAutomatically(agent, { ...submission.value, origin: publicOrigin(request) });
  } catch (error) {
    return replyWithError(submission, error);
  }
  const wave = submission.value.waveId ? (await listWaves()).find((candidate) => candidate.id === submission.value.waveId) : undefined;
  const byEvaluator = new Map<string, { evaluatorId: string; evaluatorName: string; references: string[] }>();
  for (const row of report.assigned) {
    const entry = byEvaluator.get(row.evaluatorId) ?? { evaluatorId: row.evaluatorId, evaluatorName: row.evaluatorName, references: [] };
    entry.references.push(row.reference);
    byEvaluator.set(row.evaluatorId, entry);
  }
  const view: AutoAssignReportView = {
    rubric: report.rubric,
    waveLabel: wave ? `${wave.callTitle} — ${wave.title}` : null,
    byEvaluator: [...byEvaluator.values()].sort((a, b) => a.evaluatorName.localeCompare(b.evaluatorName, "fr")),
    unassigned: report.unassigned.map(({ reference, message }) => ({ reference, message })),
    assignedCount: report.assigned.length,
  };
  return json({ report: view } satisfies ActionReply);
}

export default function AutomaticAssignment() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<ActionReply>();
  const report = answer && "report" in answer ? answer.report : null;
  const lastResult = answer && !("report" in answer) ? answer : null;
  const { fields, formProps, summary } = useValidatedForm({ id: "affectation", schema: AutoAssignSchema, lastResult, defaultValue: { rubric: data.rubrics[0] } });
  const labels = { rubric: "Grille", waveId: "Vague" };
  return (
    <div className="fr-container fr-mb-6w">
      <Breadcrumb currentPageLabel="Affectation automatique" segments={[{ label: "Instruction", linkProps: { to: "/instruction" } }]} />
      <h1>Affecter automatiquement les évaluations</h1>
      <p className="fr-text--lead">
        Votre périmètre : <strong>{data.scopeLabel}</strong>
      </p>
      <p>
        Chaque dossier déposé ou en instruction qui n'a pas encore d'évaluateur pour la grille choisie en reçoit un : un agent habilité pour la région du dossier, sans conflit
        d'intérêts déclaré, le moins chargé d'abord. Les dossiers que personne ne peut prendre sont signalés.
      </p>

      {report ? <AssignReport report={report} /> : null}

      <ErrorSummary {...summary} labels={labels} />
      <Form method="post" {...formProps} className="fr-mb-6w">
        {data.rubrics.length > 1 ? (
          <fieldset className={`fr-fieldset${fields.rubric.errors?.length ? " fr-fieldset--error" : ""}`} id={fields.rubric.id} aria-labelledby={`${fields.rubric.id}-legend ${fields.rubric.id}-messages`}>
            <legend id={`${fields.rubric.id}-legend`} className="fr-fieldset__legend fr-text--regular">
              {labels.rubric}
            </legend>
            {data.rubrics.map((rubric) => (
              <div key={rubric} className="fr-fieldset__element">
                <div className="fr-radio-group">
                  <input type="radio" id={`${fields.rubric.id}-${rubric}`} name={fields.rubric.name} value={rubric} defaultChecked={(fields.rubric.initialValue ?? data.rubrics[0]) === rubric} />
                  <label className="fr-label" htmlFor={`${fields.rubric.id}-${rubric}`}>
                    {RUBRIC_LABELS[rubric]}
                  </label>
                </div>
              </div>
            ))}
            <div className="fr-messages-group" id={`${fields.rubric.id}-messages`} aria-live="polite">
              {fields.rubric.errors?.length ? <p className="fr-message fr-message--error">{fields.rubric.errors.join(" ")}</p> : null}
            </div>
          </fieldset>
        ) : (
          <>
            <input type="hidden" name={fields.rubric.name} value={data.rubrics[0]} />
            <p>Grille : {RUBRIC_LABELS[data.rubrics[0]]} (les évaluations de la grille ANCT sont confiées par l'équipe programme).</p>
          </>
        )}
        <SelectField field={fields.waveId} label={labels.waveId} placeholder="Toutes les vagues" options={data.waves} />
        <SubmitButton>Affecter automatiquement</SubmitButton>
      </Form>

      {data.evaluators.map(({ rubric, people }) => (
        <section key={rubric} aria-labelledby={`charge-${rubric}`} className="fr-mb-4w">
          <h2 id={`charge-${rubric}`} className="fr-h5">
            Charge actuelle des évaluateurs — {RUBRIC_LABELS[rubric]}
          </h2>
          {people.length === 0 ? (
            <p>Aucun agent n'est habilité à cette grille dans votre périmètre : demandez à un administrateur d'inviter des évaluateurs.</p>
          ) : (
            <div className="fr-table fr-table--sm fr-table--no-caption">
              <div className="fr-table__wrapper">
                <div className="fr-table__container">
                  <div className="fr-table__content">
                    <table>
                      <caption>Charge actuelle des évaluateurs ({rubricName(rubric)})</caption>
                      <thead>
                        <tr>
                          <th scope="col">Agent</th>
                          <th scope="col">Périmètre</th>
                          <th scope="col">Évaluations en cours</th>
                        </tr>
                      </thead>
                      <tbody>
                        {people.map((person) => (
                          <tr key={person.id}>
                            <th scope="row">{person.name}</th>
                            <td>{person.scope}</td>
                            <td>{formatInteger(person.load)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </div>
              </div>
            </div>
          )}
        </section>
      ))}
    </div>
  );
}
