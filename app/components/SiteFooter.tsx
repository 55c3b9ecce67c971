import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";

export function SiteFooter() {
  return (
    <Footer
      id="fr-footer"
      brandTop={
        <>
          République
          <br />
          Française
        </>
      }
      homeLinkProps={{ to: "/", title: "Accueil — Portail Médicobus" }}
      accessibility="non compliant"
      accessibilityLinkProps={{ to: "/accessibilite" }}
      termsLinkProps={{ to: "/mentions-legales" }}
      contentDescription="Le Portail Médicobus permet aux porteurs de projet de déposer leur dossier, aux agents des ARS et de l'ANCT de l'instruire et à l'équipe programme de décider du financement de 100 médicobus."
      bottomItems={[
        { text: "Données personnelles", linkProps: { to: "/donnees-personnelles" } },
        { text: "Aide", linkProps: { to: "/aide" } },
        headerFooterDisplayItem,
      ]}
    />
  );
}
