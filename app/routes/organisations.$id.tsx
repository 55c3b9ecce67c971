import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { DossierStatusBadge } from "~/components/dossier/DossierStatusBadge";
import { formatSiret, MEMBERSHIP_ROLE_LABELS } from "~/components/organisation/labels";
import { listDossiersForMember } from "~/modules/applications/queries.server";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import type { SessionUser } from "~/modules/auth/roles";
import { requireUser } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";
import { InviteMemberSchema, RemoveMemberSchema } from "~/modules/organisations/schema";
import { getOrganisationForMember, inviteMember, removeMember } from "~/modules/organisations/service.server";
import { notFound } from "~/utils/errors";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { publicOrigin } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.organisation.name ?? "Organisation"} — Portail Médicobus` },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organisation as one of its members sees it; anyone else gets a 404, whatever the id. */
async function organisationForMember(user: SessionUser, id: string | undefined) {
  // Not a uuid: no organisation has it (and the database would refuse the comparison).
  if (!id || !UUID.test(id)) notFound("Organisation introuvable.");
  return orErrorPage(getOrganisationForMember(user, id));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await organisationForMember(user, params.id);
  const { dossiers } = await listDossiersForMember(user);
  const isOwner = view.myRole === "owner";
  // « Retirer » opens a confirmation first (a plain link, so it works without JavaScript).
  const removing = isOwner ? (view.members.find((member) => member.userId === new URL(request.url).searchParams.get("retirer")) ?? null) : null;
  return json({
    organisation: view.organisation,
    members: view.members.map((member) => ({ ...member, isMe: member.userId === user.id })),
    pendingInvitations: view.pendingInvitations,
    dossiers: dossiers
      .filter((dossier) => dossier.organisationId === view.organisation.id)
      .map(({ reference, title, status, waveTitle }) => ({ reference, title, status, waveTitle })),
    isOwner,
    removing: removing && { userId: removing.userId, name: removing.name, email: removing.email, isMe: removing.userId === user.id },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { organisation } = await organisationForMember(user, params.id);
  const here = `/organisations/${organisation.id}`;
  const formData = await request.formData();
  switch (formData.get("intent")) {
    case "invite": {
      const submission = parseWithZod(formData, { schema: InviteMemberSchema });
      if (submission.status !== "success") return invalidSubmission(submission, { formId: "invite" });
      try {
        await inviteMember(user, organisation.id, { email: submission.value.email, origin: publicOrigin(request) });
      } catch (error) {
        return replyWithError(submission, error, { formId: "invite" });
      }
      return redirectWithToast(here, {
        title: "Invitation envoyée",
        message: `${submission.value.email} a reçu un lien pour rejoindre ${organisation.name}, valable 7 jours.`,
      });
    }
    case "remove": {
      const submission = parseWithZod(formData, { schema: RemoveMemberSchema });
      if (submission.status !== "success") return invalidSubmission(submission, { formId: "remove" });
      try {
        await removeMember(user, organisation.id, submission.value.userId);
      } catch (error) {
        return replyWithError(submission, error, { formId: "remove" });
      }
      if (submission.value.userId === user.id) {
        return redirectWithToast("/mon-espace", `Vous avez quitté ${organisation.name}.`);
      }
      return redirectWithToast(here, "Le membre a été retiré de l'organisation ; il n'a plus accès à ses dossiers.");
    }
    default:
      throw new Response("Action inconnue.", { status: 400 });
  }
}

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="fr-text--bold fr-mb-0">{term}</dt>
      <dd className="fr-ml-0 fr-mb-2w">{children}</dd>
    </>
  );
}

export default function OrganisationPage() {
  const { organisation, members, pendingInvitations, dossiers, isOwner, removing } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormReply>();
  const inviteForm = useValidatedForm({ id: "invitation", schema: InviteMemberSchema, lastResult: actionData?.formId === "invite" ? actionData : null });
  const removeForm = useValidatedForm({ id: "retrait", schema: RemoveMemberSchema, lastResult: actionData?.formId === "remove" ? actionData : null });
  const here = `/organisations/${organisation.id}`;
  // The confirmation opens without a page load (client navigation): the focus goes to it, so that
  // it is read and its buttons come next under the keyboard.
  const confirmation = useRef<HTMLDivElement>(null);
  const removingId = removing?.userId;
  useEffect(() => {
    if (removingId) confirmation.current?.focus();
  }, [removingId]);
  const hasContact = Boolean(organisation.contactName || organisation.contactEmail || organisation.contactPhone);
  return (
    <div className="fr-container fr-my-6w">
      <nav role="navigation" className="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol className="fr-breadcrumb__list">
          <li>
            <Link className="fr-breadcrumb__link" to="/mon-espace">
              Mon espace
            </Link>
          </li>
          <li>
            <a className="fr-breadcrumb__link" aria-current="page">
              {organisation.name}
            </a>
          </li>
        </ol>
      </nav>
      <h1 className="fr-mb-2w">{organisation.name}</h1>
      <p className="fr-mb-4w">
        <Badge severity="info" noIcon>
          {ORGANISATION_KIND_LABELS[organisation.kind]}
        </Badge>
      </p>

      <section aria-labelledby="identite" className="fr-mb-6w">
        <h2 id="identite">Identité</h2>
        <dl>
          <Detail term="SIRET">{formatSiret(organisation.siret)}</Detail>
          <Detail term="Commune du siège">
            {organisation.seatCommuneName} <span className="fr-text--sm">(code INSEE {organisation.seatCommuneCode})</span>
          </Detail>
          <Detail term="Contact pour le dossier">
            {hasContact ? (
              <>
                {organisation.contactName ? <span className="fr-mr-2w">{organisation.contactName}</span> : null}
                {organisation.contactEmail ? (
                  <a className="fr-mr-2w" href={`mailto:${organisation.contactEmail}`}>
                    {organisation.contactEmail}
                  </a>
                ) : null}
                {organisation.contactPhone ? <span>{organisation.contactPhone}</span> : null}
              </>
            ) : (
              "Non renseigné"
            )}
          </Detail>
        </dl>
      </section>

      <section aria-labelledby="dossiers" className="fr-mb-6w">
        <h2 id="dossiers">Dossiers</h2>
        {dossiers.length === 0 ? (
          <p>L'organisation n'a pas encore de dossier de candidature.</p>
        ) : (
          <div className="fr-table fr-table--no-caption">
            <table>
              <caption>Dossiers de {organisation.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Référence</th>
                  <th scope="col">Titre</th>
                  <th scope="col">Vague</th>
                  <th scope="col">Statut</th>
                </tr>
              </thead>
              <tbody>
                {dossiers.map((dossier) => (
                  <tr key={dossier.reference}>
                    <td>
                      <Link to={`/dossiers/${dossier.reference}`}>{dossier.reference}</Link>
                    </td>
                    <td>{dossier.title || "Dossier sans titre"}</td>
                    <td>{dossier.waveTitle}</td>
                    <td>
                      <DossierStatusBadge status={dossier.status} small as="span" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Button priority="secondary" linkProps={{ to: "/dossiers/nouveau" }}>
          Créer un dossier
        </Button>
      </section>

      <section aria-labelledby="membres" className="fr-mb-6w">
        <h2 id="membres">Membres</h2>
        <p>
          Les membres préparent et suivent ensemble les dossiers de l'organisation. Les responsables invitent et retirent
          les co-éditeurs.
        </p>
        {removing ? (
          <div ref={confirmation} className="fr-alert fr-alert--warning fr-mb-4w" role="region" aria-labelledby="confirmation-retrait" tabIndex={-1}>
            <h3 id="confirmation-retrait" className="fr-alert__title">
              {removing.isMe ? "Quitter l'organisation ?" : `Retirer ${removing.name} de l'organisation ?`}
            </h3>
            <p>
              {removing.isMe
                ? "Vous n'aurez plus accès aux dossiers de l'organisation. Un autre responsable pourra vous inviter à nouveau."
                : `${removing.name} (${removing.email}) n'aura plus accès aux dossiers de l'organisation. Vous pourrez l'inviter à nouveau.`}
            </p>
            <ErrorSummary {...removeForm.summary} labels={{}} title="Le retrait n'a pas abouti" />
            <Form method="post" {...removeForm.formProps} className="fr-mt-2w">
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="userId" value={removing.userId} />
              <ul className="fr-btns-group fr-btns-group--inline-sm">
                <li>
                  <SubmitButton>{removing.isMe ? "Quitter l'organisation" : "Confirmer le retrait"}</SubmitButton>
                </li>
                <li>
                  <Link className="fr-btn fr-btn--secondary" to={here} preventScrollReset>
                    Annuler
                  </Link>
                </li>
              </ul>
            </Form>
          </div>
        ) : null}
        <div className="fr-table fr-table--no-caption">
          <table>
            <caption>Membres de {organisation.name}</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Adresse électronique</th>
                <th scope="col">Rôle</th>
                {isOwner ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.userId}>
                  <td>
                    {member.name}
                    {member.isMe ? " (vous)" : ""}
                  </td>
                  <td>{member.email}</td>
                  <td>{MEMBERSHIP_ROLE_LABELS[member.role]}</td>
                  {isOwner ? (
                    <td>
                      <Button
                        priority="tertiary"
                        size="small"
                        linkProps={{
                          to: `${here}?retirer=${encodeURIComponent(member.userId)}`,
                          preventScrollReset: true,
                          "aria-label": member.isMe ? "Quitter l'organisation" : `Retirer ${member.name}`,
                        }}
                      >
                        {member.isMe ? "Quitter" : "Retirer"}
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="invitations" className="fr-mb-6w">
        <h2 id="invitations">Invitations en attente</h2>
        {pendingInvitations.length === 0 ? (
          <p>Aucune invitation en attente.</p>
        ) : (
          <ul>
            {pendingInvitations.map((invitation) => (
              <li key={invitation.id}>
                {invitation.email} — lien valable jusqu'au {formatDateTime(new Date(invitation.expiresAt))}
              </li>
            ))}
          </ul>
        )}
        {isOwner ? (
          <>
            <h3 className="fr-mt-4w">Inviter un co-éditeur</h3>
            <ErrorSummary {...inviteForm.summary} labels={{ email: "Adresse électronique" }} />
            {/* A new key once the invitation is listed: the field empties for the next address. */}
            <Form method="post" {...inviteForm.formProps} key={pendingInvitations.map((invitation) => invitation.id).join()}>
              <input type="hidden" name="intent" value="invite" />
              <TextField
                field={inviteForm.fields.email}
                label="Adresse électronique"
                type="email"
                autoComplete="off"
                hint="La personne reçoit un lien valable 7 jours. Si elle n'a pas de compte, elle le crée en acceptant l'invitation."
              />
              <SubmitButton>Envoyer l'invitation</SubmitButton>
            </Form>
          </>
        ) : (
          <p className="fr-hint-text">Seuls les responsables de l'organisation peuvent inviter de nouveaux membres.</p>
        )}
      </section>
    </div>
  );
}
