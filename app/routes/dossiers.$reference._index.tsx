import { Button } from "@codegouvfr/react-dsfr/Button";
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useDossierData, type DossierLayoutData } from "~/components/dossier/DossierData";
import { sectionPath } from "~/components/dossier/DossierLinks";
import { TimelineList } from "~/components/dossier/TimelineList";
import { SECTION_KEYS, type SectionKey } from "~/modules/applications/form";
import { TRANSITIONS } from "~/modules/applications/lifecycle";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { decisionLetterForMember } from "~/modules/letters/service.server";
import { formatDateTime } from "~/modules/calls/time";
import { formatEuros, formatInteger } from "~/utils/format";

/** The decision letter, once prepared: the layout's data does not carry it (it checks the member itself). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const letter = await orErrorPage(decisionLetterForMember(user, params.reference ?? ""));
  return json({ decisionLetter: letter ? { fileName: letter.fileName, preparedAt: letter.preparedAt.toISOString() } : null });
}

/** Where « Continuer la saisie » leads: the first part still to fill, or to correct; null when nothing is editable. */
function continuePath(data: DossierLayoutData) {
  const { dossier, missing, editable } = data;
  if (editable === "all") return sectionPath(dossier.reference, missing[0]?.section ?? "porteur");
  const first = dossier.reopenedSections.find((key): key is SectionKey => (SECTION_KEYS as string[]).includes(key));
  return first ? sectionPath(dossier.reference, first) : null;
}

/** The next step for the applicant, in words, with the one button that leads to it. */
function nextStep(data: DossierLayoutData): { text: string; action?: { label: string; to: string } } {
  const { dossier, missing, wave, territory } = data;
  const reference = dossier.reference;
  const recap = `/dossiers/${reference}/recapitulatif`;
  switch (dossier.status) {
    case "draft": {
      const deadline = `${formatDateTime(new Date(wave.closesAt))} (heure de Paris)`;
      if (wave.state === "closed") return { text: `La date limite de dépôt de la ${wave.title.toLowerCase()} est passée : ce dossier ne peut plus être déposé.` };
      if (missing.length > 0) {
        return {
          text: `Complétez votre dossier : ${missing.length === 1 ? "un point reste" : `${missing.length} points restent`} à compléter avant de le déposer, au plus tard le ${deadline}.`,
          action: { label: "Continuer la saisie", to: sectionPath(reference, missing[0].section) },
        };
      }
      return { text: `Votre dossier est complet. Relisez le récapitulatif puis déposez-le avant le ${deadline}.`, action: { label: "Relire et déposer le dossier", to: recap } };
    }
    case "changes_requested": {
      const first = continuePath(data);
      return {
        text: "L'agence régionale de santé demande des corrections. Modifiez les parties rouvertes, puis déposez à nouveau le dossier depuis le récapitulatif.",
        action: first ? { label: "Corriger le dossier", to: first } : { label: "Déposer à nouveau", to: recap },
      };
    }
    case "submitted":
      return { text: `Votre dossier est déposé. L'agence régionale de santé${territory.regionName ? ` (${territory.regionName})` : ""} vérifie sa recevabilité ; vous serez prévenu par courriel de chaque étape.` };
    case "under_review":
      return { text: "Votre dossier est recevable : il est en cours d'instruction par l'agence régionale de santé et l'ANCT. Surveillez la messagerie : des précisions peuvent vous être demandées." };
    case "reviewed":
      return { text: "L'instruction est terminée. La décision sera prise par le comité de sélection du programme ; vous en serez informé par courriel." };
    case "selected":
      return { text: "Votre projet est retenu. L'équipe du programme vous contactera pour la convention et le versement de la subvention." };
    case "waitlisted":
      return { text: "Votre projet est inscrit sur la liste complémentaire : il pourra être retenu si des crédits se libèrent." };
    case "rejected":
      return { text: "Votre projet n'a pas été retenu. Le motif figure dans l'historique ci-dessous." };
    case "ineligible":
      return { text: "Votre dossier a été déclaré irrecevable. Le motif figure dans l'historique ci-dessous." };
    case "withdrawn":
      return { text: "Vous avez retiré ce dossier : il ne sera pas instruit." };
  }
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      <p className="fr-mb-0 fr-text--sm">{label}</p>
      <p className="mb-figure fr-mb-0">{value}</p>
    </div>
  );
}

export default function DossierOverview() {
  const data = useDossierData();
  const { decisionLetter } = useLoaderData<typeof loader>();
  const { dossier, territory, budget, unreadMessages } = data;
  const reference = dossier.reference;
  const step = nextStep(data);
  const canWithdraw = (TRANSITIONS.withdraw.from as readonly string[]).includes(dossier.status);
  const share = budget.figures.stateSharePercent;
  const continueTo = continuePath(data);
  return (
    <>
      <h2>Vue d'ensemble</h2>

      <div className="fr-callout fr-mb-4w">
        <h3 className="fr-callout__title">À faire maintenant</h3>
        <p className="fr-callout__text">{step.text}</p>
        {step.action ? <Button linkProps={{ to: step.action.to }}>{step.action.label}</Button> : null}
      </div>

      <section aria-labelledby="chiffres-cles" className="fr-mb-4w">
        <h3 id="chiffres-cles">Chiffres clés</h3>
        <div className="fr-grid-row fr-grid-row--gutters">
          <Figure label="Région" value={territory.regionName ?? "Non renseignée"} />
          <Figure label="Communes desservies" value={formatInteger(territory.communes.length)} />
          <Figure label="Population couverte" value={`${formatInteger(territory.populationCovered)} hab.`} />
          <Figure label="Coût total du projet" value={formatEuros(budget.figures.totalCostCents)} />
          <Figure label="Subvention demandée" value={formatEuros(budget.figures.requestedCents)} />
          <Figure label="Part de l'État" value={share === null ? "—" : `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(share)} %`} />
          <Figure label="Cofinancements" value={formatEuros(budget.figures.cofinancingCents)} />
          <Figure label="Départements" value={territory.departements.length > 0 ? territory.departements.join(", ") : "—"} />
        </div>
      </section>

      <section aria-labelledby="actions-dossier" className="fr-mb-4w">
        <h3 id="actions-dossier">Accès rapides</h3>
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          {continueTo ? (
            <li>
              <Button priority="secondary" iconId="fr-icon-edit-line" linkProps={{ to: continueTo }}>
                Continuer la saisie
              </Button>
            </li>
          ) : null}
          <li>
            <Button priority="secondary" iconId="fr-icon-file-text-line" linkProps={{ to: `/dossiers/${reference}/recapitulatif` }}>
              Récapitulatif
            </Button>
          </li>
          <li>
            <Button priority="secondary" iconId="fr-icon-mail-line" linkProps={{ to: `/dossiers/${reference}/messages` }}>
              {unreadMessages > 0 ? `Messagerie (${unreadMessages} non lu${unreadMessages > 1 ? "s" : ""})` : "Messagerie"}
            </Button>
          </li>
        </ul>
        {dossier.submittedAt ? (
          <p>
            {/* A file, not a page: the browser downloads it (no client-side navigation). */}
            <a className="fr-link fr-link--download" href={`/dossiers/${reference}/recepisse`} download={`recepisse-${reference}.pdf`}>
              Télécharger le récépissé de dépôt <span className="fr-link__detail">PDF — déposé le {formatDateTime(new Date(dossier.submittedAt))}</span>
            </a>
          </p>
        ) : null}
        {decisionLetter ? (
          <p>
            <a className="fr-link fr-link--download" href={`/dossiers/${reference}/courrier-decision`} download={decisionLetter.fileName}>
              Courrier de décision (PDF) <span className="fr-link__detail">notifié le {formatDateTime(new Date(decisionLetter.preparedAt))}</span>
            </a>
          </p>
        ) : null}
        {canWithdraw ? (
          <p>
            <Link className="fr-link fr-icon-close-circle-line fr-link--icon-left" to={`/dossiers/${reference}/retrait`}>
              Retirer le dossier
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="historique">
        <h3 id="historique">Historique du dossier</h3>
        <p className="fr-text--sm">Du plus récent au plus ancien.</p>
        <TimelineList events={data.events} />
      </section>
    </>
  );
}
