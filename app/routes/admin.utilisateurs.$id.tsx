import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, useValidatedForm } from "~/components/forms";
import { RoleFields } from "~/components/RoleFields";
import { ACCOUNT_STATUS_LABELS, ACCOUNT_STATUS_SEVERITY } from "~/modules/auth/account-status";
import { getUserDetail } from "~/modules/auth/queries.server";
import { grantLabel } from "~/modules/auth/roles";
import { AccountStatusSchema, GrantRoleSchema, RevokeRoleSchema } from "~/modules/auth/schema";
import { disableUser, enableUser, grantRole, revokeRole } from "~/modules/auth/service.server";
import { requireRole } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { notFound } from "~/utils/errors";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.user.name ?? "Compte"} — Administration — Portail Médicobus` },
];

const GRANT_LABELS = { role: "Rôle", regionCode: "Région" };

async function findUserOr404(id: string | undefined) {
  return (id ? await getUserDetail(id) : null) ?? notFound("Ce compte n'existe pas.");
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const user = await findUserOr404(params.id);
  return json({ user, isSelf: user.id === admin.id });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const user = await findUserOr404(params.id);
  const formData = await request.formData();
  const here = `/admin/utilisateurs/${user.id}`;
  switch (formData.get("intent")) {
    case "grant": {
      const submission = parseWithZod(formData, { schema: GrantRoleSchema });
      if (submission.status !== "success") return invalidSubmission(submission, { formId: "grant" });
      try {
        await grantRole(admin, user.id, submission.value);
      } catch (error) {
        return replyWithError(submission, error, { formId: "grant" });
      }
      return redirectWithToast(here, `Rôle « ${grantLabel(submission.value)} » ajouté.`);
    }
    case "revoke": {
      const submission = parseWithZod(formData, { schema: RevokeRoleSchema });
      if (submission.status !== "success") return invalidSubmission(submission, { formId: "account" });
      try {
        await revokeRole(admin, user.id, submission.value);
      } catch (error) {
        return replyWithError(submission, error, { formId: "account" });
      }
      return redirectWithToast(here, "Rôle retiré.");
    }
    default: {
      const submission = parseWithZod(formData, { schema: AccountStatusSchema });
      if (submission.status !== "success") return invalidSubmission(submission, { formId: "account" });
      try {
        if (submission.value.intent === "disable") await disableUser(admin, user.id);
        else await enableUser(admin, user.id);
      } catch (error) {
        return replyWithError(submission, error, { formId: "account" });
      }
      return redirectWithToast(
        here,
        submission.value.intent === "disable" ? "Compte désactivé : ses sessions sont fermées." : "Compte réactivé.",
      );
    }
  }
}

export default function UserAdministration() {
  const { user, isSelf } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormReply>();
  const grantForm = useValidatedForm({
    id: "ajout-role",
    schema: GrantRoleSchema,
    lastResult: actionData?.formId === "grant" ? actionData : null,
  });
  const accountForm = useValidatedForm({
    id: "compte",
    schema: AccountStatusSchema,
    lastResult: actionData?.formId === "account" ? actionData : null,
  });
  return (
    <div className="fr-container fr-my-6w">
      <nav role="navigation" className="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol className="fr-breadcrumb__list">
          <li>
            <Link className="fr-breadcrumb__link" to="/admin">
              Administration
            </Link>
          </li>
          <li>
            <a className="fr-breadcrumb__link" aria-current="page">
              {user.name}
            </a>
          </li>
        </ol>
      </nav>
      <h1>{user.name}</h1>
      <p>
        <Badge severity={ACCOUNT_STATUS_SEVERITY[user.status]} noIcon>
          {ACCOUNT_STATUS_LABELS[user.status]}
        </Badge>
      </p>
      <ErrorSummary {...accountForm.summary} labels={{}} title="L'action n'a pas abouti" />
      <dl>
        <dt className="fr-text--bold fr-mb-0">Adresse électronique</dt>
        <dd className="fr-ml-0 fr-mb-2w">{user.email}</dd>
        <dt className="fr-text--bold fr-mb-0">Compte créé le</dt>
        <dd className="fr-ml-0 fr-mb-2w">{formatDateTime(new Date(user.createdAt))}</dd>
      </dl>

      <section aria-labelledby="roles" className="fr-mb-6w">
        <h2 id="roles">Rôles</h2>
        <ul className="fr-raw-list">
          {user.roles.map((grant) => (
            <li key={grant.id} className="fr-mb-2w">
              <Form method="post" className="fr-grid-row fr-grid-row--middle">
                <span className="fr-mr-2w">{grantLabel(grant)}</span>
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="assignmentId" value={grant.id} />
                <Button type="submit" priority="tertiary" size="small" nativeButtonProps={{ "aria-label": `Retirer le rôle ${grantLabel(grant)}` }}>
                  Retirer
                </Button>
              </Form>
            </li>
          ))}
        </ul>
        <h3>Ajouter un rôle</h3>
        <ErrorSummary {...grantForm.summary} labels={GRANT_LABELS} />
        <Form method="post" {...grantForm.formProps}>
          <input type="hidden" name="intent" value="grant" />
          <RoleFields role={grantForm.fields.role} regionCode={grantForm.fields.regionCode} />
          <SubmitButton>Ajouter le rôle</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="acces">
        <h2 id="acces">Accès au portail</h2>
        {user.status === "disabled" ? (
          <Form method="post" {...accountForm.formProps}>
            <p>Ce compte est désactivé : la personne ne peut plus se connecter.</p>
            <input type="hidden" name="intent" value="enable" />
            <SubmitButton>Réactiver le compte</SubmitButton>
          </Form>
        ) : isSelf ? (
          <p>Vous ne pouvez pas désactiver votre propre compte.</p>
        ) : (
          <Form method="post" {...accountForm.formProps}>
            <p>Désactiver le compte ferme ses sessions et l'empêche de se connecter. Ses rôles et son historique sont conservés.</p>
            <input type="hidden" name="intent" value="disable" />
            <SubmitButton secondary>Désactiver le compte</SubmitButton>
          </Form>
        )}
      </section>
    </div>
  );
}
