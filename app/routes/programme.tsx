import { SideMenu } from "@codegouvfr/react-dsfr/SideMenu";
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLocation } from "@remix-run/react";
import { isCurrentSection, PROGRAMME_SECTIONS } from "~/components/programme/ProgrammeNav";
import { requireRole } from "~/modules/auth/session.server";

/**
 * The frame of the programme area: the national team's side menu beside each section. Remix runs
 * the loaders of a layout and its pages in parallel, so this check does not protect the pages:
 * every page's loader and action calls requireRole("program_manager") itself.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "program_manager");
  return json({});
}

export default function ProgrammeLayout() {
  const { pathname } = useLocation();
  return (
    <div className="fr-container fr-mt-4w fr-mb-6w">
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-3">
          <SideMenu
            align="left"
            burgerMenuButtonText="Sections du programme"
            title="Programme"
            items={PROGRAMME_SECTIONS.map((section) => ({
              text: section.label,
              linkProps: { to: section.to },
              isActive: isCurrentSection(section, pathname),
            }))}
          />
        </div>
        <div className="fr-col-12 fr-col-md-9">
          <Outlet />
        </div>
      </div>
    </div>
  );
}
