import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { ACQUISITIONS, COST_KINDS, DAYS, FUNDER_KINDS, HALF_DAYS, PARTNER_KINDS, SPECIALTIES, ZONINGS, type SectionKey } from "~/modules/applications/form";
import { formatDate } from "~/modules/calls/time";
import { formatEuros, formatInteger } from "~/utils/format";
import type { DossierLayoutData } from "./DossierData";
import { SECTION_TITLES, sectionPath, stepsWithProgress } from "./DossierLinks";

/*
 * The whole dossier on one page, read-only, as the ARS will read it: each section's content,
 * then the checks the portal computed. Empty fields say « Non renseigné » rather than vanish,
 * so that what is missing shows where it belongs.
 */

type Row = [label: string, value: ReactNode];

function NotProvided() {
  return <span style={{ color: fr.colors.decisions.text.mention.grey.default }}>Non renseigné</span>;
}

function text(value: string | null | undefined) {
  return value && value.trim() ? <span style={{ whiteSpace: "pre-wrap" }}>{value}</span> : <NotProvided />;
}

function count(value: number | null | undefined, unit = "") {
  return value == null ? <NotProvided /> : `${formatInteger(value)}${unit}`;
}

function label<T extends Record<string, string>>(labels: T, value: string | null | undefined) {
  return value ? (labels[value as keyof T] ?? value) : <NotProvided />;
}

function yesNo(value: boolean | null | undefined) {
  return value == null ? <NotProvided /> : value ? "Oui" : "Non";
}

function euros(cents: number | null | undefined) {
  return cents == null ? <NotProvided /> : formatEuros(cents);
}

function FactsTable({ caption, rows }: { caption: string; rows: Row[] }) {
  return (
    <div className="fr-table fr-table--no-caption fr-table--layout-fixed fr-mb-3w">
      <table>
        <caption>{caption}</caption>
        <tbody>
          {rows.map(([name, value]) => (
            <tr key={name}>
              <th scope="row" style={{ width: "35%" }}>
                {name}
              </th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SummarySection({ reference, section, number, complete, editable, children }: { reference: string; section: SectionKey; number: number; complete: boolean; editable: boolean; children: ReactNode }) {
  const id = `recapitulatif-${section}`;
  return (
    <section aria-labelledby={id} className="fr-mb-5w">
      <h3 id={id} className="fr-mb-1w">
        {number}. {SECTION_TITLES[section]}
      </h3>
      <p className="fr-mb-2w">
        <span className={`fr-badge fr-badge--sm fr-badge--no-icon ${complete ? "fr-badge--success" : "fr-badge--warning"}`}>{complete ? "Complet" : "À compléter"}</span>
        {editable && section !== "engagement" ? (
          <Link className="fr-link fr-icon-edit-line fr-link--icon-left fr-ml-2w" to={sectionPath(reference, section)}>
            Modifier<span className="fr-sr-only"> : {SECTION_TITLES[section]}</span>
          </Link>
        ) : null}
      </p>
      {children}
    </section>
  );
}

function CheckList({ checks }: { checks: ReadonlyArray<{ ok: boolean; label: string; message: string }> }) {
  return (
    <ul className="fr-raw-list fr-mb-3w">
      {checks.map((check) => (
        <li key={check.label} className="fr-mb-1w">
          <span
            className={`${check.ok ? "fr-icon-success-fill" : "fr-icon-error-fill"} fr-icon--sm fr-mr-1w`}
            style={{ color: check.ok ? fr.colors.decisions.text.default.success.default : fr.colors.decisions.text.default.error.default }}
            aria-hidden="true"
          />
          <strong>{check.label}</strong>
          <span className="fr-sr-only">{check.ok ? " : respecté." : " : non respecté."}</span> — {check.message}
        </li>
      ))}
    </ul>
  );
}

function fileSize(bytes: number) {
  if (bytes < 1024) return `${formatInteger(bytes)} octets`;
  if (bytes < 1024 * 1024) return `${formatInteger(Math.round(bytes / 1024))} ko`;
  return `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} Mo`;
}

type SummaryData = Pick<DossierLayoutData, "dossier" | "territory" | "budget" | "pieces" | "call" | "organisation" | "missing" | "editable">;
type SummaryFile = DossierLayoutData["pieces"][number];

/**
 * Sections 1 to 6 of the dossier; the engagement (7) is the recap page's own form. The agents'
 * view (app/routes/instruction.dossiers.$reference._index.tsx) passes `renderFile` to turn each
 * file into its download and preview links.
 */
export function DossierSummary({ data, renderFile }: { data: SummaryData; renderFile?: (file: SummaryFile) => ReactNode }) {
  const { dossier, territory, budget, pieces, call } = data;
  const form = dossier.formData;
  const reference = dossier.reference;
  const steps = new Map(stepsWithProgress(data.missing).map((step) => [step.key, step]));
  const canEdit = (section: SectionKey) => data.editable === "all" || (data.editable as string[]).includes(section);
  const sectionProps = (section: SectionKey) => ({ reference, section, number: steps.get(section)!.number, complete: steps.get(section)!.complete, editable: canEdit(section) });
  const communeName = new Map(territory.communes.map((commune) => [commune.code, `${commune.name} (${commune.departementCode})`]));
  const years = Array.from({ length: call.rules.projectYears }, (_, index) => index);

  const porteur = form.porteur ?? {};
  const territoire = form.territoire ?? {};
  const projet = form.projet ?? {};
  const vehicule = form.vehicule ?? {};
  const budgetForm = form.budget ?? {};

  return (
    <>
      <SummarySection {...sectionProps("porteur")}>
        <FactsTable
          caption="Porteur et partenaires"
          rows={[
            ["Organisation", data.organisation.name],
            ["Intitulé du projet", text(porteur.projectTitle)],
            ["Résumé", text(porteur.summary)],
          ]}
        />
        <h4 className="fr-h6">Partenaires</h4>
        {porteur.partners && porteur.partners.length > 0 ? (
          <ul>
            {porteur.partners.map((partner, index) => (
              <li key={index} className="fr-mb-1w">
                <strong>{partner.name || "Partenaire sans nom"}</strong> ({label(PARTNER_KINDS, partner.kind)}) — rôle : {text(partner.role)} — engagement : {text(partner.commitment)}
              </li>
            ))}
          </ul>
        ) : (
          <p>
            <NotProvided />
          </p>
        )}
      </SummarySection>

      <SummarySection {...sectionProps("territoire")}>
        <h4 className="fr-h6">Communes desservies</h4>
        {territoire.communes && territoire.communes.length > 0 ? (
          <ul>
            {territoire.communes.map((commune) => (
              <li key={commune.code}>
                {communeName.get(commune.code) ?? commune.code} — {label(ZONINGS, commune.zoning)}
              </li>
            ))}
          </ul>
        ) : (
          <p>
            <NotProvided />
          </p>
        )}
        <FactsTable
          caption="Territoire"
          rows={[
            ["Patients sans médecin traitant", count(territoire.patientsWithoutDoctor)],
            ["Dont en affection de longue durée (ALD)", count(territoire.ofWhichAld)],
            ["Région (calculée)", territory.regionName ?? <NotProvided />],
            [territory.departements.length > 1 ? "Départements (calculés)" : "Département (calculé)", territory.departements.length > 0 ? territory.departements.join(", ") : <NotProvided />],
            ["Population couverte (calculée, INSEE)", `${formatInteger(territory.populationCovered)} habitants`],
          ]}
        />
      </SummarySection>

      <SummarySection {...sectionProps("projet")}>
        <FactsTable
          caption="Projet médical"
          rows={[
            ["Spécialités", projet.specialties && projet.specialties.length > 0 ? projet.specialties.map((key) => SPECIALTIES[key] ?? key).join(", ") : <NotProvided />],
            ...(projet.otherSpecialty ? ([["Autre spécialité", text(projet.otherSpecialty)]] as Row[]) : []),
            ["Médecins", count(projet.doctors)],
            ["Équivalents temps plein médicaux", projet.doctorsFte == null ? <NotProvided /> : new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 }).format(projet.doctorsFte)],
            ["Assistants médicaux", count(projet.medicalAssistants)],
            ["Coordinateur", yesNo(projet.coordinator)],
            [
              "Consultations prévues",
              projet.consultations && projet.consultations.length > 0 ? projet.consultations.map((value, index) => `année ${index + 1} : ${value == null ? "non renseigné" : formatInteger(value)}`).join(" ; ") : <NotProvided />,
            ],
            ["Coordination avec la CPTS", text(projet.cptsCoordination)],
            ["Orientation des urgences", text(projet.emergencyReferral)],
          ]}
        />
        <h4 className="fr-h6">Tournée hebdomadaire</h4>
        {projet.tourPlan && projet.tourPlan.length > 0 ? (
          <ul>
            {projet.tourPlan.map((slot, index) => (
              <li key={index}>
                {label(DAYS, slot.day)} {slot.halfDay ? HALF_DAYS[slot.halfDay].toLowerCase() : ""} — {communeName.get(slot.communeCode) ?? slot.communeCode}
              </li>
            ))}
          </ul>
        ) : (
          <p>
            <NotProvided />
          </p>
        )}
      </SummarySection>

      <SummarySection {...sectionProps("vehicule")}>
        <FactsTable
          caption="Véhicule"
          rows={[
            ["Mode d'acquisition", label(ACQUISITIONS, vehicule.acquisition)],
            ["Type de véhicule", text(vehicule.vehicleType)],
            ["Accessible aux personnes à mobilité réduite", yesNo(vehicule.accessiblePmr)],
            ["Équipement médical", text(vehicule.equipment)],
            ["Date de livraison prévue", vehicule.deliveryDate ? formatDate(vehicule.deliveryDate) : <NotProvided />],
          ]}
        />
      </SummarySection>

      <SummarySection {...sectionProps("budget")}>
        <div className="fr-table fr-mb-3w">
          <table>
            <caption>Dépenses prévues</caption>
            <thead>
              <tr>
                <th scope="col">Dépense</th>
                <th scope="col">Nature</th>
                {years.map((year) => (
                  <th key={year} scope="col">
                    Année {year + 1}
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {(budgetForm.costs ?? []).map((line, index) => (
                <tr key={index}>
                  <td>{text(line.label)}</td>
                  <td>{label(COST_KINDS, line.kind)}</td>
                  {years.map((year) => (
                    <td key={year}>{euros(line.amounts?.[year])}</td>
                  ))}
                  <td>{formatEuros((line.amounts ?? []).reduce<number>((total, value) => total + (value ?? 0), 0))}</td>
                </tr>
              ))}
              <tr>
                <th scope="row" colSpan={2 + years.length}>
                  Coût total du projet
                </th>
                <td>
                  <strong>{formatEuros(budget.figures.totalCostCents)}</strong>
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        {budgetForm.cofinancing && budgetForm.cofinancing.length > 0 ? (
          <div className="fr-table fr-mb-3w">
            <table>
              <caption>Cofinancements</caption>
              <thead>
                <tr>
                  <th scope="col">Financeur</th>
                  <th scope="col">Type</th>
                  <th scope="col">Montant</th>
                </tr>
              </thead>
              <tbody>
                {budgetForm.cofinancing.map((line, index) => (
                  <tr key={index}>
                    <td>{text(line.funder)}</td>
                    <td>{label(FUNDER_KINDS, line.kind)}</td>
                    <td>{euros(line.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Aucun cofinancement déclaré.</p>
        )}
        <FactsTable caption="Subvention" rows={[["Subvention de l'État demandée", euros(budgetForm.requested)]]} />
        <h4 className="fr-h6">Vérifications des règles de l'appel</h4>
        <CheckList checks={budget.checks} />
      </SummarySection>

      <SummarySection {...sectionProps("pieces")}>
        <ul className="fr-raw-list">
          {call.rules.pieces.map((piece) => {
            const files = pieces.filter((file) => file.pieceCode === piece.code);
            return (
              <li key={piece.code} className="fr-mb-2w">
                <strong>{piece.label}</strong> {piece.required ? "(obligatoire)" : "(facultative)"}
                {files.length > 0 ? (
                  <ul>
                    {files.map((file) => (
                      <li key={file.id}>
                        {renderFile ? (
                          renderFile(file)
                        ) : (
                          <>
                            {file.fileName} — {fileSize(file.sizeBytes)}
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="fr-mb-0 fr-text--sm" style={{ color: piece.required ? fr.colors.decisions.text.default.error.default : fr.colors.decisions.text.mention.grey.default }}>
                    {piece.required ? "Manquante" : "Non fournie"}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      </SummarySection>
    </>
  );
}
