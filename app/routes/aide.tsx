import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";
import { getPublicCall } from "~/modules/calls/service.server";
import { formatDateTime } from "~/modules/calls/time";
import { formatEuros } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Aide — Portail Médicobus" }];

export async function loader() {
  return json({ call: await getPublicCall() });
}

/** The applicants' questions, answered from the call's own rules and dates. */
export default function Help() {
  const { call } = useLoaderData<typeof loader>();
  const rules = call?.rules;
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-9">
          <h1>Aide aux porteurs de projet</h1>
          <p className="fr-text--lead">Les réponses aux questions les plus fréquentes sur l'appel à projets Médicobus.</p>
          <div className="fr-accordions-group">
            <Accordion label="Qui peut déposer un dossier ?" titleAs="h2">
              <p>
                Peuvent candidater :{" "}
                {rules ? rules.eligibleSponsorKinds.map((kind) => ORGANISATION_KIND_LABELS[kind]).join(", ") : "les CPTS, centres de santé, MSP et collectivités"}.
                Les CPTS sont encouragées à candidater avec les collectivités de leur territoire. Le projet vise des
                territoires ruraux peu denses en médecins (zonage ZIP/ZAC), où des patients en affection de longue durée
                n'ont pas de médecin traitant.
              </p>
            </Accordion>
            <Accordion label="Quel financement l'État apporte-t-il ?" titleAs="h2">
              {rules ? (
                <p>
                  Le coût total du projet sur {rules.projectYears} ans doit être compris entre {formatEuros(rules.totalCostCents.min)} et{" "}
                  {formatEuros(rules.totalCostCents.max)}. La subvention de l'État couvre de {rules.stateSharePercent.min} à{" "}
                  {rules.stateSharePercent.max} % de ce coût ; le reste est apporté par les collectivités, l'Assurance
                  Maladie ou d'autres financeurs. Une avance de {rules.advanceSharePercent} % est versée après la décision.
                </p>
              ) : (
                <p>Les règles de financement seront publiées avec l'appel à projets.</p>
              )}
            </Accordion>
            <Accordion label="Quelles pièces justificatives préparer ?" titleAs="h2">
              <ul>
                <li>les statuts de la structure ou la délibération de la collectivité ;</li>
                <li>le devis du véhicule ;</li>
                <li>le budget prévisionnel sur trois ans ;</li>
                <li>les lettres d'engagement des partenaires ;</li>
                <li>un relevé d'identité bancaire (RIB).</li>
              </ul>
              <p>Formats acceptés : PDF, PNG, JPEG, ODT, ODS, DOCX, XLSX, 20 Mo au plus par fichier.</p>
            </Accordion>
            <Accordion label="Quelles sont les dates limites ?" titleAs="h2">
              {call && call.waves.length > 0 ? (
                <ul>
                  {call.waves.map((wave) => (
                    <li key={wave.id}>
                      {wave.title} : dépôt jusqu'au {formatDateTime(new Date(wave.closesAt))}, heure de Paris.
                    </li>
                  ))}
                </ul>
              ) : (
                <p>Les dates seront publiées avec l'appel à projets.</p>
              )}
              <p>
                L'heure limite est celle de Paris, y compris pour les porteurs d'outre-mer : le portail affiche aussi votre
                heure locale. Un dossier ne peut plus être déposé une fois l'heure atteinte.
              </p>
            </Accordion>
            <Accordion label="Que se passe-t-il après le dépôt ?" titleAs="h2">
              <ol>
                <li>Vous recevez un récépissé de dépôt par courriel.</li>
                <li>L'ARS de votre région vérifie la recevabilité du dossier ; elle peut vous demander des compléments.</li>
                <li>Le dossier est évalué par l'ARS et par l'ANCT selon des grilles publiées.</li>
                <li>L'équipe nationale du programme classe les dossiers et décide des financements, vague par vague.</li>
                <li>Vous recevez la décision et, si le projet est retenu, le montant et le calendrier des versements.</li>
              </ol>
            </Accordion>
          </div>
          <p className="fr-mt-4w">
            Prêt à candidater ? <Link to="/inscription">Créez votre compte</Link> ou <Link to="/connexion">connectez-vous</Link>.
          </p>
        </div>
      </div>
    </div>
  );
}
