import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Card } from "@codegouvfr/react-dsfr/Card";
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { WAVE_STATE_LABELS, type WaveState } from "~/modules/calls/rules";
import { getPublicCall } from "~/modules/calls/service.server";
import { formatDate, formatDateTime } from "~/modules/calls/time";
import { formatEuros, formatInteger } from "~/utils/format";
import type { loader as rootLoader } from "~/root";

export async function loader(_: LoaderFunctionArgs) {
  const call = await getPublicCall();
  return json({ call });
}

// A closed wave gets the neutral grey badge: nothing to act on.
const BADGE_SEVERITY: Record<WaveState, "info" | "success" | undefined> = {
  upcoming: "info",
  open: "success",
  closed: undefined,
};

export default function Home() {
  const { call } = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<typeof rootLoader>("root");
  if (!call) {
    return (
      <div className="fr-container fr-my-6w">
        <h1>Portail Médicobus</h1>
        <p>Aucun appel à projets n'est publié pour le moment.</p>
      </div>
    );
  }
  const openWave = call.waves.find((wave) => wave.state === "open");
  return (
    <div className="fr-container fr-my-6w">
      <h1>{call.title}</h1>
      <p className="fr-text--lead">{call.summary}</p>

      <div className="fr-grid-row fr-grid-row--gutters fr-mb-4w">
        <Figure label="Enveloppe de l'État" value={formatEuros(call.envelopeCents)} />
        <Figure label="Médicobus financés" value={formatInteger(call.busTarget)} />
        <Figure label="Vagues de déploiement" value={formatInteger(call.waves.length)} />
      </div>

      <h2>Calendrier</h2>
      <div className="fr-grid-row fr-grid-row--gutters fr-mb-4w">
        {call.waves.map((wave) => (
          <div key={wave.id} className="fr-col-12 fr-col-md-6">
            <Card
              title={wave.title}
              titleAs="h3"
              start={
                <ul className="fr-badges-group">
                  <li>
                    <Badge severity={BADGE_SEVERITY[wave.state]}>
                      {WAVE_STATE_LABELS[wave.state]}
                    </Badge>
                  </li>
                </ul>
              }
              desc={
                <>
                  Dépôt du {formatDate(wave.opensOn)} au {formatDateTime(new Date(wave.closesAt))} (heure de Paris).
                  <br />
                  Budget : {formatEuros(wave.budgetCents)} — objectif : {formatInteger(wave.busTarget)} médicobus.
                </>
              }
              border
              size="medium"
            />
          </div>
        ))}
      </div>

      <div className="fr-callout">
        <h2 className="fr-callout__title">
          {openWave ? `La ${openWave.title.toLowerCase()} est ouverte` : "Préparez votre dossier"}
        </h2>
        <p className="fr-callout__text">
          {openWave
            ? `Déposez votre dossier avant le ${formatDateTime(new Date(openWave.closesAt))} (heure de Paris). Le projet est porté par une CPTS, un centre de santé, une MSP ou une collectivité ; l'État finance de ${call.rules.stateSharePercent.min} à ${call.rules.stateSharePercent.max} % d'un projet de ${formatEuros(call.rules.totalCostCents.min)} à ${formatEuros(call.rules.totalCostCents.max)}.`
            : "Aucune vague n'est ouverte aujourd'hui. Créez votre compte pour préparer votre dossier et être prêt à la prochaine ouverture."}
        </p>
        {root?.user ? (
          <Button linkProps={{ to: "/mon-espace" }}>Accéder à mon espace</Button>
        ) : (
          <Button linkProps={{ to: "/inscription" }}>Créer mon compte et déposer un dossier</Button>
        )}
      </div>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="fr-col-12 fr-col-md-4">
      <div className="fr-tile fr-tile--no-icon">
        <div className="fr-tile__body">
          <p className="mb-figure fr-mb-1v">{value}</p>
          <p className="fr-tile__desc">{label}</p>
        </div>
      </div>
    </div>
  );
}
