import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ExportDownload } from "~/components/exports/ExportDownload";
import { requireRole } from "~/modules/auth/session.server";
import { listWaves } from "~/modules/calls/service.server";
import { auditExport, decisionsExport, dossierExport, ledgerExport, PROGRAMME_LISTS, rankingExport } from "~/modules/exports/lists.server";
import { checkScdlExport } from "~/modules/exports/scdl.server";
import { formatInteger } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Exports et données ouvertes — Programme — Portail Médicobus" }];

/**
 * The programme's exports: each list with its number of rows and its CSV (Excel en français) and
 * XLSX files, and the open-data file of awarded subsidies, checked against the SCDL schema
 * before it is offered. Program managers only.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const waves = await listWaves();
  const [dossiers, decisions, ledger, audit, rankings, scdl] = await Promise.all([
    dossierExport(manager).count(),
    decisionsExport(manager).count(),
    ledgerExport(manager).count(),
    auditExport(manager, {}).then((list) => list.count()),
    Promise.all(waves.map(async (wave) => ({ id: wave.id, title: wave.title, count: await (await rankingExport(manager, wave.id)).count() }))),
    checkScdlExport(manager),
  ]);
  const lists = [
    { key: "dossiers", title: "Dossiers", description: "Tous les dossiers déposés, avec leur porteur, leur territoire, leurs montants et leurs notes. Pour un export filtré, utilisez les liens d'export de la liste « Dossiers à instruire » après avoir choisi les filtres.", count: dossiers, href: "/instruction/export" },
    ...rankings.map((wave) => ({ key: `classement-${wave.id}`, title: `${PROGRAMME_LISTS.classement.title} — ${wave.title}`, description: PROGRAMME_LISTS.classement.description, count: wave.count, href: `/programme/exports/classement?vague=${wave.id}` })),
    { key: "decisions", ...PROGRAMME_LISTS.decisions, count: decisions, href: "/programme/exports/decisions" },
    { key: "ecritures", ...PROGRAMME_LISTS.ecritures, count: ledger, href: "/programme/exports/ecritures" },
    { key: "journal", ...PROGRAMME_LISTS.journal, count: audit, href: "/programme/exports/journal" },
  ];
  return json({ lists, scdl });
}

const withFormat = (href: string, format: "csv" | "xlsx") => `${href}${href.includes("?") ? "&" : "?"}format=${format}`;

export default function ProgrammeExports() {
  const { lists, scdl } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Exports et données ouvertes</h1>
      <p>
        Le fichier CSV s'ouvre directement dans Excel en français (séparateur « ; », virgule décimale) ; le fichier XLSX garde les nombres, les montants en euros et les dates comme tels.
        Les longs exports affichent leur progression.
      </p>
      <div className="fr-table fr-mb-6w">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>Listes exportables</caption>
                <thead>
                  <tr>
                    <th scope="col">Liste</th>
                    <th scope="col" className="fr-cell--right">
                      Lignes
                    </th>
                    <th scope="col">Télécharger</th>
                  </tr>
                </thead>
                <tbody>
                  {lists.map((list) => (
                    <tr key={list.key}>
                      <th scope="row" className="fr-cell--multiline" style={{ fontWeight: "normal" }}>
                        <strong>{list.title}</strong>
                        <br />
                        <span className="fr-text--sm">{list.description}</span>
                      </th>
                      <td className="fr-cell--right">{formatInteger(list.count)}</td>
                      <td>
                        {(["csv", "xlsx"] as const).map((format) => (
                          <ExportDownload key={format} href={withFormat(list.href, format)} format={format} label={`${list.title} (${format.toUpperCase()})`} listTitle={list.title} />
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>

      <h2>Données ouvertes : subventions attribuées</h2>
      <p>
        Les subventions des dossiers retenus, au format du schéma national SCDL « subventions » (version 2.1.1) pour publication sur data.gouv.fr : fichier CSV séparé par des virgules, encodé en
        UTF-8, montants avec un point décimal. Chaque ligne est vérifiée selon les règles du schéma avant publication.
      </p>
      {scdl.problems.length > 0 ? (
        <div className="fr-alert fr-alert--error fr-mb-3w">
          <h3 className="fr-alert__title">
            {scdl.problems.length > 1 ? `${scdl.problems.length} lignes ne respectent pas le schéma` : "Une ligne ne respecte pas le schéma"} : le fichier ne peut pas être publié
          </h3>
          <ul>
            {scdl.problems.map((problem) => (
              <li key={problem.reference}>
                <Link to={`/instruction/dossiers/${problem.reference}`}>{problem.reference}</Link> : {problem.messages.join(" ")}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <p>
            {scdl.rows === 0 ? "Aucune subvention attribuée pour l'instant : le fichier ne contient que la ligne d'en-tête." : `${formatInteger(scdl.rows)} subvention${scdl.rows > 1 ? "s" : ""} attribuée${scdl.rows > 1 ? "s" : ""}, toutes conformes au schéma.`}
          </p>
          <ExportDownload href="/programme/exports/subventions-scdl" format="csv" label="Subventions attribuées, schéma SCDL (CSV)" listTitle="Subventions attribuées (SCDL)" />
        </>
      )}
    </>
  );
}
