import { Button } from "@codegouvfr/react-dsfr/Button";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/modules/auth/session.server";
import { getPublicCall } from "~/modules/calls/service.server";
import { formatDate, formatDateTime } from "~/modules/calls/time";

export const meta: MetaFunction = () => [{ title: "Mon espace — Portail Médicobus" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const call = await getPublicCall();
  const waves = call?.waves ?? [];
  const openWave = waves.find((wave) => wave.state === "open") ?? null;
  const nextWave = waves.find((wave) => wave.state === "upcoming") ?? null;
  return json({
    name: user.name,
    callTitle: call?.title ?? null,
    openWave: openWave && { title: openWave.title, closesAt: openWave.closesAt, timeZone: openWave.timeZone },
    nextWave: nextWave && { title: nextWave.title, opensOn: nextWave.opensOn },
  });
}

export default function ApplicantHome() {
  const { name, callTitle, openWave, nextWave } = useLoaderData<typeof loader>();
  return (
    <div className="fr-container fr-my-6w">
      <h1>Mon espace</h1>
      <p className="fr-text--lead">Bienvenue, {name}.</p>
      <div className="fr-callout fr-mb-4w">
        <h2 className="fr-callout__title">{callTitle ?? "Appel à projets"}</h2>
        {openWave ? (
          <p className="fr-callout__text">
            La {openWave.title.toLowerCase()} est ouverte : déposez votre dossier avant le{" "}
            <strong>{formatDateTime(new Date(openWave.closesAt), openWave.timeZone)}</strong> (heure de Paris).
          </p>
        ) : nextWave ? (
          <p className="fr-callout__text">
            Aucune vague n'est ouverte aujourd'hui. La {nextWave.title.toLowerCase()} ouvre le {formatDate(nextWave.opensOn)}.
          </p>
        ) : (
          <p className="fr-callout__text">Aucune vague de dépôt n'est ouverte aujourd'hui.</p>
        )}
        <Button linkProps={{ to: "/aide" }} priority="secondary">
          Lire l'aide aux porteurs de projet
        </Button>
      </div>
      <h2>Mes dossiers</h2>
      <p>
        La création et le suivi de vos dossiers de candidature seront disponibles ici très prochainement. En attendant, vous
        pouvez préparer votre projet à l'aide de la <Link to="/aide">page d'aide</Link>.
      </p>
    </div>
  );
}
