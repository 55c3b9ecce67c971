import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { devMailboxEnabled, env } from "~/env.server";
import { formatDateTime } from "~/modules/calls/time";
import { notFound } from "~/utils/errors";
import { findMailboxMail } from "~emails/mailbox.server";
import { MAIL_STATUS_LABELS, MAIL_STATUS_SEVERITY } from "~emails/status";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.mail.subject ?? "Courriel"} — Boîte de développement — Portail Médicobus` },
  { name: "robots", content: "noindex" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  if (!devMailboxEnabled) notFound();
  const mail = await findMailboxMail(params.id ?? "");
  if (!mail) notFound("Ce courriel n'existe pas dans la boîte de développement.");
  return json({ mail, from: env.MAIL_FROM }, { headers: { "Cache-Control": "no-store" } });
}

export default function DevMailboxMessage() {
  const { mail, from } = useLoaderData<typeof loader>();
  return (
    <div className="fr-container fr-mb-6w">
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Boîte de développement", linkProps: { to: "/dev/courriels" } }]}
        currentPageLabel={mail.subject}
      />
      <h1>{mail.subject}</h1>

      <dl className="fr-mb-4w">
        <Header label="De">{from}</Header>
        <Header label="À">{mail.to}</Header>
        <Header label="Date">{formatDateTime(new Date(mail.createdAt))}</Header>
        <Header label="Statut">
          <Badge severity={MAIL_STATUS_SEVERITY[mail.status]} small noIcon>
            {MAIL_STATUS_LABELS[mail.status]}
          </Badge>
          {mail.sentAt ? ` le ${formatDateTime(new Date(mail.sentAt))}` : null}
        </Header>
        <Header label="Modèle">{mail.template}</Header>
        <Header label="Tentatives">{String(mail.attempts)}</Header>
        {mail.messageId ? <Header label="Message-ID">{mail.messageId}</Header> : null}
        {mail.lastError ? <Header label="Dernière erreur">{mail.lastError}</Header> : null}
      </dl>

      <h2>Liens du courriel</h2>
      {mail.links.length > 0 ? (
        <ul className="fr-mb-4w">
          {mail.links.map((link) => (
            <li key={link}>
              <a href={link} className="fr-link" style={{ wordBreak: "break-all" }}>
                {link}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p className="fr-mb-4w">Ce courriel ne contient aucun lien.</p>
      )}

      <h2>Version HTML</h2>
      <p className="fr-text--sm">
        Affichée telle qu'un logiciel de messagerie la recevrait, dans un cadre isolé : ses liens n'y sont pas
        cliquables, utilisez la liste ci-dessus.
      </p>
      <iframe
        title={`Version HTML du courriel « ${mail.subject} »`}
        srcDoc={mail.html}
        sandbox=""
        className="fr-mb-4w"
        style={{ width: "100%", height: "36rem", border: "1px solid var(--border-default-grey)" }}
      />

      <h2>Version texte</h2>
      <pre className="fr-p-2w" style={{ whiteSpace: "pre-wrap", background: "var(--background-alt-grey)" }}>
        {mail.text}
      </pre>
    </div>
  );
}

function Header({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fr-grid-row fr-mb-1v">
      <dt className="fr-col-12 fr-col-md-2 fr-text--bold">{label}</dt>
      <dd className="fr-col-12 fr-col-md-10" style={{ margin: 0, wordBreak: "break-word" }}>
        {children}
      </dd>
    </div>
  );
}
