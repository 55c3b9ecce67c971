import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { RoleFields } from "~/components/RoleFields";
import { ACCOUNT_STATUS_LABELS, ACCOUNT_STATUS_SEVERITY } from "~/modules/auth/account-status";
import { listUsers, USER_LIST_LIMIT } from "~/modules/auth/queries.server";
import { grantLabel, ROLE_LABELS } from "~/modules/auth/roles";
import { InviteAgentSchema } from "~/modules/auth/schema";
import { inviteAgent } from "~/modules/auth/service.server";
import { requireRole } from "~/modules/auth/session.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { formatInteger } from "~/utils/format";
import { requestContext } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Administration — Portail Médicobus" }];

const LABELS = { email: "Adresse électronique", name: "Nom et prénom", role: "Rôle", regionCode: "Région" };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const search = new URL(request.url).searchParams.get("q")?.trim() ?? "";
  const { users, total } = await listUsers({ search });
  return json({ search, users, total, limit: USER_LIST_LIMIT });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const submission = parseWithZod(await request.formData(), { schema: InviteAgentSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  let result;
  try {
    result = await inviteAgent(admin, submission.value, requestContext(request, context));
  } catch (error) {
    return replyWithError(submission, error);
  }
  const { email, role } = submission.value;
  const message = result.created
    ? `Invitation envoyée à ${email} (${ROLE_LABELS[role]}).`
    : result.invitationSent
      ? `Rôle ajouté à ${email}, qui n'avait pas encore activé son compte : une nouvelle invitation lui est envoyée.`
      : `${email} avait déjà un compte : le rôle ${ROLE_LABELS[role]} lui est ajouté.`;
  return redirectWithToast("/admin", message);
}

export default function Administration() {
  const { search, users, total, limit } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "invitation-agent", schema: InviteAgentSchema, lastResult });
  return (
    <div className="fr-container fr-my-6w">
      <h1>Administration</h1>
      <p className="fr-text--lead">Les comptes du portail, leurs rôles et leurs régions.</p>

      <section aria-labelledby="inviter" className="fr-mb-6w">
        <h2 id="inviter">Inviter un agent</h2>
        <p>
          Les agents des ARS, de l'ANCT, l'équipe programme et les administrateurs ne créent pas de compte : ils reçoivent une
          invitation valable 7 jours. Inviter une adresse qui a déjà un compte lui ajoute le rôle.
        </p>
        <ErrorSummary {...summary} labels={LABELS} />
        <Form method="post" {...formProps}>
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-6">
              <TextField field={fields.email} label={LABELS.email} type="email" autoComplete="off" />
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <TextField field={fields.name} label={LABELS.name} autoComplete="off" />
            </div>
          </div>
          <RoleFields role={fields.role} regionCode={fields.regionCode} />
          <SubmitButton>Inviter</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="comptes">
        <h2 id="comptes">Comptes</h2>
        <Form method="get" role="search" aria-label="Rechercher un compte" className="fr-mb-3w">
          <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
            <div className="fr-col-12 fr-col-md-6">
              <Input label="Rechercher par nom ou par adresse" nativeInputProps={{ name: "q", type: "search", defaultValue: search }} />
            </div>
            <div className="fr-col-12 fr-col-md-3 fr-mb-3w">
              <Button type="submit" priority="secondary">
                Rechercher
              </Button>
            </div>
          </div>
        </Form>
        <p role="status">
          {total === 0
            ? search
              ? `Aucun compte ne correspond à « ${search} ».`
              : "Aucun compte."
            : `${formatInteger(total)} compte${total > 1 ? "s" : ""}${search ? ` correspondant à « ${search} »` : ""}${total > limit ? ` : les ${limit} plus récents sont affichés, précisez la recherche` : ""}.`}
        </p>
        {users.length > 0 ? (
          <div className="fr-table fr-table--no-caption">
            <table>
              <caption>Comptes du portail</caption>
              <thead>
                <tr>
                  <th scope="col">Nom</th>
                  <th scope="col">Adresse électronique</th>
                  <th scope="col">Rôles</th>
                  <th scope="col">État</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.id}>
                    <td>
                      <Link to={`/admin/utilisateurs/${user.id}`}>{user.name}</Link>
                    </td>
                    <td>{user.email}</td>
                    <td>{user.roles.map(grantLabel).join(", ")}</td>
                    <td>
                      <Badge severity={ACCOUNT_STATUS_SEVERITY[user.status]} small noIcon>
                        {ACCOUNT_STATUS_LABELS[user.status]}
                      </Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
