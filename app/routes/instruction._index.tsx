import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { grantLabel, INSTRUCTION_ROLES, ROLE_REGION_RULE } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { regionName } from "~/modules/geo/regions";

export const meta: MetaFunction = () => [{ title: "Espace instruction — Portail Médicobus" }];

/**
 * The agents' landing page. Its scope is the union of the agent's instruction roles: one
 * national role (programme team, national ANCT) makes it the whole country.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, INSTRUCTION_ROLES);
  const grants = user.roles.filter((grant) => (INSTRUCTION_ROLES as readonly string[]).includes(grant.role));
  const national = grants.some((grant) => ROLE_REGION_RULE[grant.role] === "none" || !grant.regionCode);
  const regions = [...new Set(grants.flatMap((grant) => (grant.regionCode ? [regionName(grant.regionCode)] : [])))];
  return json({ roles: grants.map(grantLabel), scope: national ? "France entière" : regions.join(", ") });
}

export default function InstructionHome() {
  const { roles, scope } = useLoaderData<typeof loader>();
  return (
    <div className="fr-container fr-my-6w">
      <h1>Espace instruction</h1>
      <p className="fr-text--lead">
        Votre périmètre : <strong>{scope}</strong>
      </p>
      <p>Vos rôles : {roles.join(" ; ")}.</p>
      <div className="fr-callout">
        <h2 className="fr-callout__title">Les dossiers arrivent avec le module d'instruction</h2>
        <p className="fr-callout__text">
          La liste des dossiers déposés dans votre périmètre, leur recevabilité et leur évaluation seront disponibles ici avec
          le module d'instruction.
        </p>
      </div>
    </div>
  );
}
