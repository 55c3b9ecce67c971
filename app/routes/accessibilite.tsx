import type { MetaFunction } from "@remix-run/node";
import {
  CHECKED_PAGES,
  CONFORMITY_RATE,
  CONTACT_EMAIL,
  DECLARATION_DATE,
  EXEMPTIONS,
  KNOWN_ISSUES,
  RGAA_VERSION,
  TECHNOLOGIES,
  TEST_ENVIRONMENT,
  TOOLS,
} from "~/modules/accessibility/declaration";

export const meta: MetaFunction = () => [{ title: "Déclaration d'accessibilité — Portail Médicobus" }];

/** « 2026-11-22 » → « 22 novembre 2026 », at noon UTC so no time zone moves the day. */
const frenchDate = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" });

/**
 * The declaration, section by section as in the DINUM's model (état de conformité, résultats des
 * tests, contenus non accessibles, établissement de la déclaration, retour d'information et
 * contact, voies de recours). Its facts live in modules/accessibility/declaration.ts.
 */
export default function Accessibility() {
  const date = frenchDate(DECLARATION_DATE);
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-9">
          <h1>Déclaration d'accessibilité</h1>
          <p>
            L'État s'engage à rendre ses sites internet, intranet, extranet et ses progiciels accessibles conformément à
            l'article 47 de la loi n° 2005-102 du 11 février 2005.
          </p>
          <p>
            Cette déclaration d'accessibilité s'applique au <strong>Portail Médicobus</strong>, le service en ligne de
            l'appel à projets Médicobus : dépôt des dossiers, instruction par les ARS et l'ANCT, décisions et suivi du
            programme.
          </p>

          <h2>État de conformité</h2>
          <p>
            Le Portail Médicobus est <strong>non conforme</strong> avec le référentiel général d'amélioration de
            l'accessibilité (RGAA), version {RGAA_VERSION}, car il n'a pas encore fait l'objet d'un audit de conformité.
            Les vérifications décrites ci-dessous sont automatiques et ne permettent pas, seules, de déclarer une
            conformité.
          </p>

          <h2>Résultats des tests</h2>
          {CONFORMITY_RATE === null ? (
            <p>
              En l'absence d'audit, aucun taux de conformité aux critères du RGAA n'est disponible. Un audit complet
              réalisé par une personne est prévu ; cette déclaration sera mise à jour avec ses résultats.
            </p>
          ) : (
            <p>L'audit de conformité révèle que {CONFORMITY_RATE} % des critères du RGAA {RGAA_VERSION} sont respectés.</p>
          )}
          <p>Les vérifications faites à ce jour, à chaque modification du portail, sont les suivantes :</p>
          <ul>
            <li>
              chaque page listée plus bas est ouverte avec le compte de chaque profil autorisé à la voir (visiteur sans
              compte, porteur de projet, agent d'ARS, agent de l'ANCT, équipe du programme, administrateur), ainsi que
              les pages d'erreur et les formulaires avec leurs messages d'erreur, et analysée avec axe-core : aucune
              anomalie de gravité « sérieuse » ou « critique » n'est relevée ;
            </li>
            <li>
              trois parcours sont faits au clavier seul, sans souris, en vérifiant où va le focus : le dépôt d'un dossier
              par un porteur de projet (jusqu'au récépissé), l'instruction d'un dossier par un agent (recevabilité et
              évaluation), et la préparation d'une décision par l'équipe du programme (classement, dérogation justifiée,
              récapitulatif de la décision).
            </li>
          </ul>

          <h2>Contenus non accessibles</h2>
          <h3>Non-conformités connues</h3>
          <ul>
            {KNOWN_ISSUES.map((issue) => (
              <li key={issue}>{issue}</li>
            ))}
          </ul>
          <h3>Dérogations pour charge disproportionnée</h3>
          <p>Aucune dérogation pour charge disproportionnée n'est invoquée.</p>
          <h3>Contenus non soumis à l'obligation d'accessibilité</h3>
          <ul>
            {EXEMPTIONS.map((exemption) => (
              <li key={exemption}>{exemption}</li>
            ))}
          </ul>

          <h2>Établissement de cette déclaration d'accessibilité</h2>
          <p>
            Cette déclaration a été établie le <strong>{date}</strong>.
          </p>
          <h3>Technologies utilisées pour la réalisation du portail</h3>
          <ul>
            {TECHNOLOGIES.map((technology) => (
              <li key={technology}>{technology}</li>
            ))}
          </ul>
          <h3>Environnement de test</h3>
          <p>Les vérifications ont été faites avec le navigateur suivant :</p>
          <ul>
            {TEST_ENVIRONMENT.browsers.map((browser) => (
              <li key={browser}>{browser}</li>
            ))}
          </ul>
          <p>{TEST_ENVIRONMENT.assistiveTechnologies}</p>
          <h3>Outils pour évaluer l'accessibilité</h3>
          <ul>
            {TOOLS.map((tool) => (
              <li key={tool.name}>
                {tool.name} : {tool.use}.
              </li>
            ))}
          </ul>
          <h3>Pages du site ayant fait l'objet de la vérification</h3>
          <ul>
            {CHECKED_PAGES.map((page) => (
              <li key={page.path}>
                {page.title} <span className="fr-text--sm">({page.path})</span>
              </li>
            ))}
          </ul>

          <h2>Retour d'information et contact</h2>
          <p>
            Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter l'équipe du programme
            Médicobus pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme :
          </p>
          <ul>
            <li>
              par courriel : <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a> ;
            </li>
            <li>par la messagerie de votre dossier, si vous êtes porteur de projet.</li>
          </ul>
          <p>Nous essayons de répondre dans les 2 jours ouvrés.</p>

          <h2>Voies de recours</h2>
          <p>
            Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable du portail un défaut
            d'accessibilité qui vous empêche d'accéder à un contenu ou à un des services du portail et vous n'avez pas
            obtenu de réponse satisfaisante.
          </p>
          <ul>
            <li>
              Écrire un message au Défenseur des droits (
              <a href="https://formulaire.defenseurdesdroits.fr/" rel="noopener">
                formulaire en ligne
              </a>
              ) ;
            </li>
            <li>
              Contacter le délégué du Défenseur des droits dans votre région (
              <a href="https://www.defenseurdesdroits.fr/saisir/delegues" rel="noopener">
                liste des délégués
              </a>
              ) ;
            </li>
            <li>
              Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse
              71120, 75342 Paris CEDEX 07.
            </li>
          </ul>
        </div>
      </div>
    </div>
  );
}
