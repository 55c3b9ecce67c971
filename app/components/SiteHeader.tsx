import { Header } from "@codegouvfr/react-dsfr/Header";
import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { Form, useLocation } from "@remix-run/react";
import { ROLE_LABELS, type SessionUser } from "~/modules/auth/roles";
import { navigationFor } from "./navigation";

export function SiteHeader({ user }: { user: SessionUser | null }) {
  const { pathname } = useLocation();
  const quickAccessItems = user
    ? [
        {
          iconId: "fr-icon-account-circle-line" as const,
          text: `${user.name} (${user.roles.map((grant) => ROLE_LABELS[grant.role]).join(", ")})`,
          linkProps: { to: "/compte" },
        },
        // Signing out changes state, so it is a POST (a prefetched or forged link cannot do it).
        <Form method="post" action="/deconnexion" key="logout">
          <button type="submit" className="fr-btn fr-icon-logout-box-r-line">
            Se déconnecter
          </button>
        </Form>,
        headerFooterDisplayItem,
      ]
    : [
        { iconId: "fr-icon-lock-line" as const, text: "Se connecter", linkProps: { to: "/connexion" } },
        { iconId: "fr-icon-account-line" as const, text: "Créer un compte", linkProps: { to: "/inscription" } },
        headerFooterDisplayItem,
      ];
  return (
    <Header
      id="fr-header"
      brandTop={
        <>
          République
          <br />
          Française
        </>
      }
      serviceTitle="Portail Médicobus"
      serviceTagline="Appel à projets de l'État pour des cabinets médicaux itinérants"
      homeLinkProps={{ to: "/", title: "Accueil — Portail Médicobus" }}
      quickAccessItems={quickAccessItems}
      navigation={navigationFor(user).map((item) => ({
        text: item.label,
        linkProps: { to: item.to },
        isActive: item.to === "/" ? pathname === "/" : pathname.startsWith(item.to),
      }))}
    />
  );
}
