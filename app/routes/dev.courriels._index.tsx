import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { devMailboxEnabled } from "~/env.server";
import { formatDateTime } from "~/modules/calls/time";
import { notFound } from "~/utils/errors";
import { listMailbox, MAILBOX_LIMIT } from "~emails/mailbox.server";
import { MAIL_STATUS_LABELS, MAIL_STATUS_SEVERITY } from "~emails/status";

export const meta: MetaFunction = () => [
  { title: "Boîte de développement — Portail Médicobus" },
  { name: "robots", content: "noindex" },
];

/** Outside demo mode, or with SMTP_URL set, the mailbox does not exist: a plain 404. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!devMailboxEnabled) notFound();
  const address = new URL(request.url).searchParams.get("adresse")?.trim() ?? "";
  const messages = await listMailbox({ address });
  return json({ address, messages, truncated: messages.length === MAILBOX_LIMIT }, { headers: { "Cache-Control": "no-store" } });
}

export default function DevMailbox() {
  const { address, messages, truncated } = useLoaderData<typeof loader>();
  return (
    <div className="fr-container fr-my-6w">
      <h1>Boîte de développement</h1>
      <p className="fr-text--lead">
        Sans serveur SMTP configuré, le portail n'envoie pas les courriels : il les range ici. Ouvrez un courriel pour
        suivre son lien (confirmation d'adresse, réinitialisation du mot de passe, invitation).
      </p>

      <Form method="get" className="fr-mb-4w" role="search" aria-label="Filtrer les courriels">
        <div className="fr-grid-row">
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Adresse du destinataire"
              hintText="Tout ou partie de l'adresse, par exemple porteur@demo.medicobus.fr"
              nativeInputProps={{ name: "adresse", type: "search", defaultValue: address, autoComplete: "email" }}
            />
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
          <li>
            <Button type="submit">Filtrer</Button>
          </li>
          {address ? (
            <li>
              <Button priority="secondary" linkProps={{ to: "/dev/courriels" }}>
                Tous les courriels
              </Button>
            </li>
          ) : null}
        </ul>
      </Form>

      {messages.length === 0 ? (
        <p role="status">{address ? `Aucun courriel pour « ${address} ».` : "Aucun courriel pour le moment."}</p>
      ) : (
        <Table
          caption={
            address
              ? `Courriels dont le destinataire contient « ${address} » (${messages.length})`
              : `Courriels, du plus récent au plus ancien (${messages.length}${truncated ? " les plus récents" : ""})`
          }
          headers={["Date", "Destinataire", "Objet", "Statut"]}
          data={messages.map((mail) => [
            formatDateTime(new Date(mail.createdAt)),
            mail.to,
            <Link key={mail.id} to={`/dev/courriels/${mail.id}`}>
              {mail.subject}
            </Link>,
            <Badge key={`${mail.id}-status`} severity={MAIL_STATUS_SEVERITY[mail.status]} small noIcon>
              {MAIL_STATUS_LABELS[mail.status]}
            </Badge>,
          ])}
        />
      )}
    </div>
  );
}
