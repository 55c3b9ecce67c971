import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Mentions légales — Portail Médicobus" }];

export default function LegalNotice() {
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-9">
          <h1>Mentions légales</h1>
          <h2>Éditeur</h2>
          <p>
            Le Portail Médicobus est édité pour le compte de l'État par l'équipe nationale du programme Médicobus, avec
            l'Agence nationale de la cohésion des territoires (ANCT), les agences régionales de santé (ARS) et
            l'Assurance Maladie.
          </p>
          <h2>Directeur de la publication</h2>
          <p>Le directeur de la publication est le responsable national du programme Médicobus.</p>
          <h2>Hébergement</h2>
          <p>
            Le portail est hébergé en France sur une infrastructure qualifiée pour les données de l'administration. Les
            coordonnées de l'hébergeur sont communiquées sur demande à l'équipe du programme.
          </p>
          <h2>Accessibilité</h2>
          <p>
            La conformité aux normes d'accessibilité numérique est un objectif du portail : voir la{" "}
            <a href="/accessibilite">déclaration d'accessibilité</a>.
          </p>
          <h2>Réutilisation des contenus</h2>
          <p>
            Les contenus du portail sont placés sous licence ouverte Etalab 2.0, sauf mention contraire. Les données des
            subventions attribuées sont publiées en données ouvertes selon le schéma SCDL « subventions ».
          </p>
          <h2>Sécurité</h2>
          <p>
            Le portail est protégé par un certificat électronique. Les mots de passe sont stockés sous forme d'empreinte
            (argon2id) et ne sont jamais transmis par courriel. Signalez toute faille de sécurité à l'équipe du programme.
          </p>
        </div>
      </div>
    </div>
  );
}
