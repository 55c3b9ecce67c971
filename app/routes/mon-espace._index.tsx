import { Button } from "@codegouvfr/react-dsfr/Button";
import { json, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { COUNTDOWN_WINDOW_MS } from "~/components/dossier/DeadlineText";
import { DossierStatusBadge } from "~/components/dossier/DossierStatusBadge";
import { listDossiersForMember } from "~/modules/applications/queries.server";
import { requireRole } from "~/modules/auth/session.server";
import { getPublicCall } from "~/modules/calls/service.server";
import { formatDate, formatDateTime } from "~/modules/calls/time";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";
import { formatInteger } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Mon espace — Portail Médicobus" }];

const CREATE_ORGANISATION = "/organisations/nouvelle?retour=/mon-espace";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const [{ organisations, dossiers }, call] = await Promise.all([listDossiersForMember(user), getPublicCall()]);
  const now = Date.now();
  const openWave = call?.waves.find((wave) => wave.state === "open") ?? null;
  const nextWave = call?.waves.find((wave) => wave.state === "upcoming") ?? null;
  const closingSoon = (dossier: (typeof dossiers)[number]) => {
    const remaining = Date.parse(dossier.closesAt) - now;
    return dossier.status === "draft" && remaining > 0 && remaining <= COUNTDOWN_WINDOW_MS;
  };
  return json({
    name: user.name,
    callTitle: call?.title ?? null,
    openWave: openWave && { title: openWave.title, closesAt: openWave.closesAt },
    nextWave: nextWave && { title: nextWave.title, opensOn: nextWave.opensOn },
    organisations: organisations.map((organisation) => ({ id: organisation.id, name: organisation.name, kind: organisation.kind, role: organisation.role })),
    dossiers,
    expected: {
      corrections: dossiers.filter((dossier) => dossier.status === "changes_requested"),
      unread: dossiers.filter((dossier) => dossier.unreadMessages > 0),
      closingDrafts: dossiers.filter(closingSoon),
    },
  });
}

type HomeData = SerializeFrom<typeof loader>;
type Dossier = HomeData["dossiers"][number];

const titleOf = (dossier: Pick<Dossier, "title" | "reference">) => `${dossier.title || "Dossier sans titre"} (${dossier.reference})`;

function ExpectedActions({ data }: { data: HomeData }) {
  const { corrections, unread, closingDrafts } = data.expected;
  const items = [
    ...corrections.map((dossier) => ({
      key: `corrections-${dossier.id}`,
      severity: "warning" as const,
      text: "Des corrections sont demandées sur le dossier",
      dossier,
      to: `/dossiers/${dossier.reference}`,
    })),
    ...closingDrafts.map((dossier) => ({
      key: `closing-${dossier.id}`,
      severity: "warning" as const,
      text: `Le dépôt ferme le ${formatDateTime(new Date(dossier.closesAt))} (heure de Paris) pour le brouillon`,
      dossier,
      to: `/dossiers/${dossier.reference}/recapitulatif`,
    })),
    ...unread.map((dossier) => ({
      key: `unread-${dossier.id}`,
      severity: "info" as const,
      text: `${dossier.unreadMessages === 1 ? "Un message non lu" : `${formatInteger(dossier.unreadMessages)} messages non lus`} sur le dossier`,
      dossier,
      to: `/dossiers/${dossier.reference}/messages`,
    })),
  ];
  if (data.organisations.length === 0) {
    return (
      <div className="fr-alert fr-alert--info">
        <h3 className="fr-alert__title">Créez l'organisation qui porte votre projet</h3>
        <p>
          Un dossier est déposé au nom d'une CPTS, d'un centre de santé, d'une maison de santé ou d'une collectivité.{" "}
          <Link to={CREATE_ORGANISATION}>Créer une organisation</Link>
        </p>
      </div>
    );
  }
  if (items.length === 0) return <p>Aucune action n'est attendue de votre part pour le moment.</p>;
  return (
    <ul className="fr-raw-list">
      {items.map((item) => (
        <li key={item.key} className={`fr-alert fr-alert--${item.severity} fr-alert--sm fr-mb-2w`}>
          <p>
            {item.text} <Link to={item.to}>{titleOf(item.dossier)}</Link>.
          </p>
        </li>
      ))}
    </ul>
  );
}

function DossiersTable({ dossiers, organisationNames }: { dossiers: Dossier[]; organisationNames: Map<string, string> }) {
  return (
    <div className="fr-table fr-table--no-caption">
      <table>
        <caption>Mes dossiers</caption>
        <thead>
          <tr>
            <th scope="col">Référence</th>
            <th scope="col">Titre</th>
            <th scope="col">Organisation</th>
            <th scope="col">Vague</th>
            <th scope="col">Statut</th>
            <th scope="col">Date limite</th>
            <th scope="col">Dernière modification</th>
            <th scope="col">Messages non lus</th>
          </tr>
        </thead>
        <tbody>
          {dossiers.map((dossier) => (
            <tr key={dossier.id}>
              <td>
                <Link to={`/dossiers/${dossier.reference}`}>{dossier.reference}</Link>
              </td>
              <td>{dossier.title || "Dossier sans titre"}</td>
              <td>{organisationNames.get(dossier.organisationId)}</td>
              <td>{dossier.waveTitle}</td>
              <td>
                <DossierStatusBadge status={dossier.status} small />
              </td>
              <td>{dossier.status === "draft" ? formatDateTime(new Date(dossier.closesAt)) : "Sans objet"}</td>
              <td>{formatDateTime(new Date(dossier.updatedAt))}</td>
              <td>{dossier.unreadMessages > 0 ? <strong>{formatInteger(dossier.unreadMessages)}</strong> : "0"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function ApplicantHome() {
  const data = useLoaderData<typeof loader>();
  const { name, callTitle, openWave, nextWave, organisations, dossiers } = data;
  const organisationNames = new Map(organisations.map((organisation) => [organisation.id, organisation.name]));
  const canCreate = Boolean(openWave);
  return (
    <div className="fr-container fr-my-6w">
      <h1>Mon espace</h1>
      <p className="fr-text--lead">Bienvenue, {name}.</p>

      <section aria-labelledby="actions-attendues" className="fr-mb-6w">
        <h2 id="actions-attendues">Actions attendues</h2>
        <ExpectedActions data={data} />
      </section>

      <section aria-labelledby="mes-dossiers" className="fr-mb-6w">
        <h2 id="mes-dossiers">Mes dossiers</h2>
        <div className="fr-callout fr-mb-4w">
          <h3 className="fr-callout__title">{callTitle ?? "Appel à projets"}</h3>
          <p className="fr-callout__text">
            {openWave
              ? `La ${openWave.title.toLowerCase()} est ouverte : déposez votre dossier avant le ${formatDateTime(new Date(openWave.closesAt))} (heure de Paris).`
              : nextWave
                ? `Aucune vague n'est ouverte aujourd'hui. La ${nextWave.title.toLowerCase()} ouvre le ${formatDate(nextWave.opensOn)}.`
                : "Aucune vague de dépôt n'est ouverte aujourd'hui."}
          </p>
          {canCreate ? (
            <Button iconId="fr-icon-add-line" linkProps={{ to: "/dossiers/nouveau" }}>
              Nouveau dossier
            </Button>
          ) : (
            <Button priority="secondary" linkProps={{ to: "/aide" }}>
              Lire l'aide aux porteurs de projet
            </Button>
          )}
        </div>
        {dossiers.length === 0 ? <p>Vous n'avez pas encore de dossier.</p> : <DossiersTable dossiers={dossiers} organisationNames={organisationNames} />}
      </section>

      <section aria-labelledby="mes-organisations">
        <h2 id="mes-organisations">Mes organisations</h2>
        {organisations.length === 0 ? (
          <p>Vous n'êtes membre d'aucune organisation.</p>
        ) : (
          <ul>
            {organisations.map((organisation) => (
              <li key={organisation.id}>
                <Link to={`/organisations/${organisation.id}`}>{organisation.name}</Link> — {ORGANISATION_KIND_LABELS[organisation.kind]}
                {organisation.role === "owner" ? " (responsable)" : " (membre)"}
              </li>
            ))}
          </ul>
        )}
        <Button priority="secondary" iconId="fr-icon-add-line" linkProps={{ to: CREATE_ORGANISATION }}>
          Créer une organisation
        </Button>
      </section>
    </div>
  );
}
