import { Link } from "@remix-run/react";

const TEXTS = {
  403: {
    title: "Accès refusé",
    lead: "Vous n'avez pas les droits nécessaires pour consulter cette page.",
    detail: "Si vous pensez qu'il s'agit d'une erreur, connectez-vous avec le bon compte ou contactez l'équipe du programme.",
  },
  404: {
    title: "Page non trouvée",
    lead: "La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.",
    detail:
      "Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte. La page n'est peut-être plus disponible. Dans ce cas, pour continuer votre visite, vous pouvez consulter notre page d'accueil.",
  },
  500: {
    title: "Erreur inattendue",
    lead: "Désolé, le service rencontre un problème, nous travaillons pour le résoudre le plus rapidement possible.",
    detail: "Essayez de rafraîchir la page ou bien réessayez plus tard. Si le problème persiste, contactez l'équipe du programme.",
  },
} as const;

/** The DSFR error page layout (« Page non trouvée », « Erreur inattendue »). */
export function ErrorPage({ status, message }: { status: number; message?: string }) {
  const known = status === 403 || status === 404 ? status : status >= 500 ? 500 : null;
  const text = known ? TEXTS[known] : { title: "Requête invalide", lead: message ?? "La requête n'a pas pu aboutir.", detail: "" };
  return (
    <div className="fr-container">
      <div className="fr-my-7w fr-mt-md-12w fr-mb-md-10w fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-grid-row--center">
        <div className="fr-py-0 fr-col-12 fr-col-md-6">
          <h1>{text.title}</h1>
          <p className="fr-text--sm fr-mb-3w">Erreur {status}</p>
          <p className="fr-text--lead fr-mb-3w">{text.lead}</p>
          {message && known ? <p className="fr-text--sm fr-mb-3w">{message}</p> : null}
          {text.detail ? <p className="fr-text--sm fr-mb-5w">{text.detail}</p> : null}
          <ul className="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Link className="fr-btn" to="/">
                Page d'accueil
              </Link>
            </li>
            <li>
              <Link className="fr-btn fr-btn--secondary" to="/aide">
                Aide
              </Link>
            </li>
          </ul>
        </div>
      </div>
    </div>
  );
}
