import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Déclaration d'accessibilité — Portail Médicobus" }];

/** Follows the structure of the RGAA model declaration (state, results, derogations, feedback, remedies). */
export default function Accessibility() {
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-9">
          <h1>Déclaration d'accessibilité</h1>
          <p>
            L'État s'engage à rendre ses sites internet, intranet, extranet et ses progiciels accessibles conformément à
            l'article 47 de la loi n° 2005-102 du 11 février 2005.
          </p>
          <p>Cette déclaration d'accessibilité s'applique au Portail Médicobus.</p>

          <h2>État de conformité</h2>
          <p>
            Le Portail Médicobus est <strong>partiellement conforme</strong> avec le référentiel général d'amélioration de
            l'accessibilité (RGAA), version 4.1 : l'audit complet n'a pas encore été réalisé.
          </p>

          <h2>Résultats des tests</h2>
          <p>
            Chaque page est vérifiée automatiquement avec l'outil axe-core à chaque modification du portail : aucune
            anomalie de gravité « sérieuse » ou « critique » n'est tolérée. Les parcours principaux sont aussi testés au
            clavier seul. Ces vérifications automatiques ne remplacent pas un audit manuel.
          </p>

          <h2>Établissement de cette déclaration d'accessibilité</h2>
          <p>Technologies utilisées : HTML5, CSS, JavaScript, Système de design de l'État (DSFR).</p>
          <p>
            Le portail reste utilisable sans JavaScript pour la connexion et les formulaires, et respecte le thème clair
            ou sombre choisi dans les paramètres d'affichage.
          </p>

          <h2>Amélioration et contact</h2>
          <p>
            Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter l'équipe du programme pour
            être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme, à l'adresse{" "}
            <a href="mailto:accessibilite@medicobus.localhost">accessibilite@medicobus.localhost</a>. Nous essayons de
            répondre dans les 2 jours ouvrés.
          </p>

          <h2>Voie de recours</h2>
          <p>
            Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou une fonctionnalité du
            portail, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes
            en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits :
          </p>
          <ul>
            <li>
              écrire un message au Défenseur des droits (
              <a href="https://formulaire.defenseurdesdroits.fr/" rel="noopener">
                formulaire en ligne
              </a>
              ) ;
            </li>
            <li>contacter le délégué du Défenseur des droits dans votre région ;</li>
            <li>
              envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse
              71120, 75342 Paris CEDEX 07.
            </li>
          </ul>
        </div>
      </div>
    </div>
  );
}
