import { ACQUISITIONS, COST_KINDS, DAYS, FUNDER_KINDS, HALF_DAYS, PARTNER_KINDS, SPECIALTIES, ZONINGS } from "~/modules/applications/form";
import type { CallRules } from "~/modules/calls/schema";
import { departementName } from "~/modules/geo/departements";
import { formatEuros, formatInteger } from "~/utils/format";
import { parseEuros } from "~/utils/money";
import { CommuneSearch, communeLabel } from "./CommuneSearch";
import { BudgetFigures, TerritoryFigures } from "./SectionComputed";
import { SectionCheckboxes, SectionInput, SectionRadios, SectionRows, SectionSelect } from "./SectionFields";
import { emptyRow, type CommuneOption, type FormSectionKey, type RowGroup, type RowOf, type SectionRaw } from "./SectionFormData";
import { YES_NO, yearLabel } from "./SectionLabels";

/** What each section's fields receive from the section form. */
export interface SectionFieldsProps<K extends FormSectionKey> {
  raw: SectionRaw[K];
  projectYears: number;
  setRows<G extends RowGroup<K>>(group: G, rows: Array<RowOf<K, G>>): void;
  errors: Record<string, string[]>;
}

const AMOUNT_HINT = "En euros, par exemple 120 000 ou 120 000,50.";
const NUMBER_HINT = "Un nombre entier, par exemple 1 200.";

/** « Ajouter » and « Supprimer » for one group: the new row goes last, its key comes back for the focus. */
function rowActions<K extends FormSectionKey, G extends RowGroup<K>>(section: K, group: G, props: SectionFieldsProps<K>) {
  const rows = props.raw[group] as unknown as Array<RowOf<K, G>>;
  return {
    onAdd: () => {
      const row = emptyRow(section, group, props.projectYears);
      props.setRows(group, [...rows, row]);
      return (row as { key: string }).key;
    },
    onRemove: (index: number) => props.setRows(group, rows.filter((_, position) => position !== index)),
  };
}

export function PorteurFields(props: SectionFieldsProps<"porteur">) {
  return (
    <>
      <SectionInput path={["projectTitle"]} maxLength={150} hint="150 caractères au plus. Il figurera sur le récépissé de dépôt." />
      <SectionInput path={["summary"]} textArea rows={6} maxLength={2000} hint="Le besoin du territoire, la réponse proposée, les partenaires : quelques lignes (2 000 caractères au plus)." />
      <SectionRows
        group="partners"
        hint="Collectivités, CPTS, CPAM, hôpital… qui s'engagent dans le projet. Leurs lettres d'engagement sont à joindre dans les pièces justificatives."
        rows={props.raw.partners}
        emptyText="Aucun partenaire pour l'instant."
        {...rowActions("porteur", "partners", props)}
        renderRow={(_, index) => (
          <>
            <div className="fr-fieldset__element fr-fieldset__element--inline mb-row-field--wide">
              <SectionInput path={["partners", index, "name"]} maxLength={200} />
            </div>
            <div className="fr-fieldset__element fr-fieldset__element--inline">
              <SectionSelect path={["partners", index, "kind"]} options={PARTNER_KINDS} />
            </div>
            <div className="fr-fieldset__element">
              <SectionInput path={["partners", index, "role"]} maxLength={300} hint="Par exemple : co-financeur, met à disposition les locaux, oriente les patients." />
            </div>
            <div className="fr-fieldset__element">
              <SectionInput path={["partners", index, "commitment"]} textArea rows={3} maxLength={1000} />
            </div>
          </>
        )}
      />
    </>
  );
}

export function TerritoireFields(
  props: SectionFieldsProps<"territoire"> & {
    details: ReadonlyMap<string, CommuneOption>;
    addDetails(commune: CommuneOption): void;
    search: { query: string; results: CommuneOption[] } | null;
  },
) {
  const { raw, details } = props;
  const selected = raw.communes.map((row) => details.get(row.code)).filter((commune): commune is CommuneOption => Boolean(commune));
  const { onRemove } = rowActions("territoire", "communes", props);
  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-lg-8">
        <SectionRows
          group="communes"
          hint="Les communes où le médicobus s'arrête. Le zonage médecins (ZIP, ZAC) est celui de l'arrêté de votre ARS."
          rows={raw.communes}
          emptyText="Aucune commune pour l'instant : recherchez-les ci-dessous."
          onRemove={onRemove}
          rowLegend={(row) => {
            const commune = details.get(row.code);
            return commune ? communeLabel(commune) : `Commune ${row.code}`;
          }}
          removeLabel={(row) => `Retirer ${details.get(row.code)?.name ?? row.code}`}
          renderRow={(row, index) => {
            const commune = details.get(row.code);
            return (
              <>
                <input type="hidden" name={`communes.${index}.code`} value={row.code} />
                <div className="fr-fieldset__element">
                  <p className="fr-text--sm fr-mb-1w">
                    {commune
                      ? `${departementName(commune.departementCode)} (${commune.departementCode}) — ${formatInteger(commune.population)} habitants`
                      : "Commune inconnue du code officiel géographique."}
                  </p>
                </div>
                <div className="fr-fieldset__element">
                  <SectionSelect path={["communes", index, "zoning"]} label={`Zonage de ${commune?.name ?? row.code}`} options={ZONINGS} placeholder="Sélectionnez le zonage" />
                </div>
              </>
            );
          }}
        >
          <CommuneSearch
            selectedCodes={new Set(raw.communes.map((row) => row.code))}
            initial={props.search}
            onAdd={(commune) => {
              props.addDetails(commune);
              props.setRows("communes", [...raw.communes, emptyRow("territoire", "communes", props.projectYears, { code: commune.code })]);
            }}
          />
        </SectionRows>
        <SectionInput path={["patientsWithoutDoctor"]} inputMode="numeric" hint={`Sur le territoire desservi (source : CPAM). ${NUMBER_HINT}`} />
        <SectionInput path={["ofWhichAld"]} inputMode="numeric" hint="Parmi les patients sans médecin traitant." />
      </div>
      <div className="fr-col-12 fr-col-lg-4">
        <TerritoryFigures communes={selected} />
      </div>
    </div>
  );
}

export function ProjetFields(props: SectionFieldsProps<"projet"> & { territory: readonly CommuneOption[] }) {
  const { raw, territory } = props;
  const communeOptions = territory.map((commune) => ({ value: commune.code, label: communeLabel(commune) }));
  return (
    <>
      <SectionCheckboxes path={["specialties"]} options={SPECIALTIES} hint="Plusieurs choix possibles." />
      <SectionInput path={["otherSpecialty"]} maxLength={200} hint="Si vous avez coché « Autre »." />
      <fieldset className="fr-fieldset" aria-labelledby="projet-equipe-legend">
        <legend className="fr-fieldset__legend" id="projet-equipe-legend">
          Équipe médicale
        </legend>
        <div className="fr-fieldset__element fr-fieldset__element--inline">
          <SectionInput path={["doctors"]} inputMode="numeric" />
        </div>
        <div className="fr-fieldset__element fr-fieldset__element--inline">
          <SectionInput path={["doctorsFte"]} inputMode="decimal" hint="Par exemple 3,5." />
        </div>
        <div className="fr-fieldset__element fr-fieldset__element--inline">
          <SectionInput path={["medicalAssistants"]} inputMode="numeric" />
        </div>
      </fieldset>
      <SectionRadios path={["coordinator"]} options={YES_NO} />
      <SectionRows
        group="tourPlan"
        hint="Une ligne par demi-journée de présence du médicobus dans la semaine."
        rows={raw.tourPlan}
        emptyText={territory.length === 0 ? "Ajoutez d'abord les communes desservies à l'étape « Territoire » : la tournée passe par elles." : "Aucune demi-journée planifiée pour l'instant."}
        {...rowActions("projet", "tourPlan", props)}
        renderRow={(_, index) => (
          <>
            <div className="fr-fieldset__element fr-fieldset__element--inline">
              <SectionSelect path={["tourPlan", index, "day"]} options={DAYS} placeholder="Choisissez le jour" />
            </div>
            <div className="fr-fieldset__element fr-fieldset__element--inline">
              <SectionSelect path={["tourPlan", index, "halfDay"]} options={HALF_DAYS} placeholder="Matin ou après-midi" />
            </div>
            <div className="fr-fieldset__element fr-fieldset__element--inline">
              <SectionSelect path={["tourPlan", index, "communeCode"]} options={communeOptions} placeholder="Choisissez la commune" />
            </div>
          </>
        )}
      />
      <fieldset className="fr-fieldset" id="projet-consultations" tabIndex={-1} aria-labelledby="projet-consultations-legend">
        <legend className="fr-fieldset__legend" id="projet-consultations-legend">
          Consultations prévues
          <span className="fr-hint-text">Nombre de consultations par année du projet.</span>
        </legend>
        {props.errors["projet-consultations"] ? (
          <div className="fr-fieldset__element">
            <p className="fr-message fr-message--error">{props.errors["projet-consultations"].join(" ")}</p>
          </div>
        ) : null}
        {raw.consultations.map((_, year) => (
          <div className="fr-fieldset__element fr-fieldset__element--inline" key={year}>
            <SectionInput path={["consultations", year]} label={yearLabel(year)} inputMode="numeric" />
          </div>
        ))}
      </fieldset>
      <SectionInput path={["cptsCoordination"]} textArea maxLength={2000} hint="Comment le médicobus travaille avec la CPTS du territoire." />
      <SectionInput path={["emergencyReferral"]} textArea maxLength={2000} hint="Où sont orientés les patients qui relèvent de l'urgence." />
    </>
  );
}

export function VehiculeFields() {
  return (
    <>
      <SectionRadios path={["acquisition"]} options={ACQUISITIONS} inline={false} />
      <SectionInput path={["vehicleType"]} maxLength={200} hint="Par exemple : camping-car aménagé, fourgon, semi-remorque." />
      <SectionRadios path={["accessiblePmr"]} options={YES_NO} />
      <SectionInput path={["equipment"]} textArea maxLength={2000} hint="Table d'examen, électrocardiographe, télémédecine…" />
      <SectionInput path={["deliveryDate"]} type="date" hint="Format attendu : JJ/MM/AAAA." />
    </>
  );
}

function lineTotal(amounts: readonly string[]) {
  return amounts.reduce((total, typed) => {
    const parsed = parseEuros(typed);
    return total + (parsed.ok ? parsed.cents : 0);
  }, 0);
}

export function BudgetFields(props: SectionFieldsProps<"budget"> & { rules: CallRules }) {
  const { raw } = props;
  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-lg-8">
        <SectionRows
          group="costs"
          hint={`Investissement (véhicule, aménagement, équipement) et fonctionnement, par année du projet. ${AMOUNT_HINT}`}
          rows={raw.costs}
          emptyText="Aucune dépense pour l'instant."
          {...rowActions("budget", "costs", props)}
          renderRow={(row, index) => (
            <>
              <div className="fr-fieldset__element fr-fieldset__element--inline">
                <SectionSelect path={["costs", index, "kind"]} options={COST_KINDS} />
              </div>
              <div className="fr-fieldset__element fr-fieldset__element--inline mb-row-field--wide">
                <SectionInput path={["costs", index, "label"]} maxLength={200} />
              </div>
              {row.amounts.map((_, year) => (
                <div className="fr-fieldset__element fr-fieldset__element--inline" key={year}>
                  <SectionInput path={["costs", index, "amounts", year]} label={`${yearLabel(year)} (€)`} inputMode="decimal" />
                </div>
              ))}
              <div className="fr-fieldset__element">
                <p className="fr-text--sm fr-mb-0">Total de la ligne : {formatEuros(lineTotal(row.amounts))}</p>
              </div>
            </>
          )}
        />
        <SectionRows
          group="cofinancing"
          hint={`Ce que les autres financeurs apportent au projet (collectivités, Assurance Maladie…). ${AMOUNT_HINT}`}
          rows={raw.cofinancing}
          emptyText="Aucun cofinancement pour l'instant."
          {...rowActions("budget", "cofinancing", props)}
          renderRow={(_, index) => (
            <>
              <div className="fr-fieldset__element fr-fieldset__element--inline mb-row-field--wide">
                <SectionInput path={["cofinancing", index, "funder"]} maxLength={200} />
              </div>
              <div className="fr-fieldset__element fr-fieldset__element--inline">
                <SectionSelect path={["cofinancing", index, "kind"]} options={FUNDER_KINDS} />
              </div>
              <div className="fr-fieldset__element fr-fieldset__element--inline">
                <SectionInput path={["cofinancing", index, "amount"]} label="Montant apporté (€)" inputMode="decimal" />
              </div>
            </>
          )}
        />
        <SectionInput
          path={["requested"]}
          label="Subvention demandée à l'État (€)"
          inputMode="decimal"
          hint={`Entre ${props.rules.stateSharePercent.min} % et ${props.rules.stateSharePercent.max} % du coût total. ${AMOUNT_HINT}`}
        />
      </div>
      <div className="fr-col-12 fr-col-lg-4">
        <BudgetFigures raw={raw} rules={props.rules} />
      </div>
    </div>
  );
}
