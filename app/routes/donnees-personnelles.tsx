import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Données personnelles — Portail Médicobus" }];

const PROCESSING = [
  ["Compte utilisateur", "nom, adresse électronique, empreinte du mot de passe, rôles", "Exécution d'une mission d'intérêt public (article 6-1-e du RGPD)", "Durée de l'appel à projets et 3 ans après la dernière connexion"],
  ["Dossiers de candidature", "identité des porteurs et des signataires, contenu du projet, pièces justificatives", "Exécution d'une mission d'intérêt public", "10 ans après la décision (archives publiques)"],
  ["Journal d'audit et sécurité", "actions effectuées, date, adresse IP lors des tentatives de connexion", "Obligation de sécurité et de traçabilité", "1 an (tentatives de connexion : 24 heures)"],
] as const;

export default function PersonalData() {
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-9">
          <h1>Données personnelles</h1>
          <p>
            Le Portail Médicobus traite des données personnelles pour instruire les candidatures à l'appel à projets et
            suivre les subventions attribuées. Le responsable de traitement est l'équipe nationale du programme Médicobus.
          </p>
          <h2>Données traitées</h2>
          <div className="fr-table">
            <table>
              <caption>Traitements de données personnelles du portail</caption>
              <thead>
                <tr>
                  <th scope="col">Traitement</th>
                  <th scope="col">Données</th>
                  <th scope="col">Base légale</th>
                  <th scope="col">Durée de conservation</th>
                </tr>
              </thead>
              <tbody>
                {PROCESSING.map(([name, data, basis, retention]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td>{data}</td>
                    <td>{basis}</td>
                    <td>{retention}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Destinataires</h2>
          <p>
            Les dossiers sont accessibles aux agents de l'ARS de la région concernée, aux agents de l'ANCT chargés de
            l'évaluation et à l'équipe nationale du programme. Les annotations des agents ne sont jamais communiquées
            aux porteurs de projet.
          </p>
          <h2>Cookies</h2>
          <p>
            Le portail n'utilise que des cookies strictement nécessaires : le cookie de session (connexion) et un cookie
            d'affichage des messages de confirmation. Aucun cookie de mesure d'audience ni de publicité n'est déposé.
          </p>
          <h2>Vos droits</h2>
          <p>
            Vous disposez d'un droit d'accès, de rectification et de limitation de vos données. Pour les exercer,
            contactez l'équipe du programme à <a href="mailto:donnees@medicobus.localhost">donnees@medicobus.localhost</a>.
            Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL.
          </p>
        </div>
      </div>
    </div>
  );
}
