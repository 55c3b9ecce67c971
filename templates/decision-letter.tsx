import { Document, StyleSheet, Text, View } from "@react-pdf/renderer";
import { formatDate, zonedToday } from "~/modules/calls/time";
import { pdfEuros, pdfInteger, pdfPercent, pdfSafe } from "./format";
import { KeyValueTable, OfficialPage, Section } from "./layout";
import { renderPdf } from "./render.server";
import { colors } from "./styles";

/** What the letter says of the decision, by outcome. */
export type LetterDecision =
  | {
      outcome: "selected";
      awardedCents: number;
      buses: number;
      totalCostCents: number;
      /** Null when the share cannot be computed (no cost on the dossier). */
      stateSharePercent: number | null;
      /** The call's advance share; the advance is rounded down to the cent, the balance is the rest. */
      advanceSharePercent: number;
      advanceCents: number;
      balanceCents: number;
      projectYears: number;
      conventionMonths: number;
    }
  | {
      outcome: "waitlisted";
      rank: number;
      /** The wave the reserve list is carried to when this one closes; null when it is the last. */
      nextWaveTitle: string | null;
    }
  | { outcome: "rejected"; motivation: string };

export interface DecisionLetterData {
  reference: string;
  projectTitle: string;
  callTitle: string;
  waveTitle: string;
  /** ISO instants: the letter's date (its preparation) and the committee's decision. */
  letterDate: string;
  decidedAt: string;
  authority: { name: string; service: string; place: string };
  signatory: { title: string; name: string };
  addressee: {
    organisation: string;
    representative: string | null;
    seatCommune: string;
  };
  decision: LetterDecision;
}

/*
 * As styles.ts says, lineHeight goes on Text styles only, and here always with its fontSize:
 * a bare factor is resolved against an inherited size and comes out about twice as tall.
 */
const BODY = { fontSize: 9.5, lineHeight: 1.4 } as const;

const letterStyles = StyleSheet.create({
  placeDate: { ...BODY, textAlign: "right", marginBottom: 12 },
  addressee: { marginLeft: "50%", marginBottom: 16 },
  line: { ...BODY },
  addresseeName: { ...BODY, fontWeight: 700 },
  meta: { ...BODY, marginBottom: 1 },
  metaLabel: { fontWeight: 700 },
  object: { ...BODY, marginTop: 6, marginBottom: 12 },
  body: { ...BODY, marginBottom: 6, textAlign: "justify" },
  listItem: { flexDirection: "row", marginBottom: 3 },
  bullet: { ...BODY, width: 10 },
  listText: { ...BODY, flex: 1 },
  motivation: {
    ...BODY,
    marginTop: 4,
    padding: 8,
    backgroundColor: colors.background,
    borderLeftWidth: 3,
    borderLeftColor: colors.blueFrance,
  },
  mention: {
    fontSize: 8.5,
    lineHeight: 1.35,
    color: colors.mention,
    marginTop: 3,
  },
  signature: { marginTop: 20, marginLeft: "50%" },
  signatoryName: { ...BODY, marginTop: 18, fontWeight: 700 },
});

const OUTCOME_OBJECT = {
  selected: "projet retenu",
  waitlisted: "inscription sur la liste complémentaire",
  rejected: "projet non retenu",
} as const;

/** « 1er juillet 2026 », « 22 novembre 2026 »: the letter's date on the Paris calendar. */
export function letterDay(iso: string) {
  return formatDate(zonedToday("Europe/Paris", new Date(iso))).replace(
    /^1 /,
    "1er "
  );
}

function Paragraph({ children }: { children: string }) {
  return <Text style={letterStyles.body}>{children}</Text>;
}

function List({ items }: { items: string[] }) {
  return (
    <View>
      {items.map((item) => (
        <View key={item} style={letterStyles.listItem} wrap={false}>
          <Text style={letterStyles.bullet}>•</Text>
          <Text style={letterStyles.listText}>{item}</Text>
        </View>
      ))}
    </View>
  );
}

function SelectedBody({
  data,
  decision,
}: {
  data: DecisionLetterData;
  decision: Extract<LetterDecision, { outcome: "selected" }>;
}) {
  const balanceShare = 100 - decision.advanceSharePercent;
  return (
    <>
      <Paragraph>
        {`J'ai le plaisir de vous informer que le projet « ${
          data.projectTitle
        } » a été retenu par le comité de sélection du ${letterDay(
          data.decidedAt
        )}, au titre de la ${data.waveTitle.toLowerCase()}. Une subvention de l'État de ${pdfEuros(
          decision.awardedCents
        )} vous est attribuée.`}
      </Paragraph>
      <Section title="Subvention attribuée">
        <KeyValueTable
          rows={[
            ["Subvention de l'État", pdfEuros(decision.awardedCents)],
            ["Médicobus financés", pdfInteger(decision.buses)],
            ["Coût total du projet", pdfEuros(decision.totalCostCents)],
            ...(decision.stateSharePercent === null
              ? []
              : ([
                  [
                    "Part de l'État",
                    `${pdfPercent(decision.stateSharePercent)} du coût total`,
                  ],
                ] as const)),
            ["Durée du projet", `${pdfInteger(decision.projectYears)} ans`],
          ]}
        />
      </Section>
      <Section title="Versement en deux tranches">
        <KeyValueTable
          rows={[
            [
              `Avance (${pdfPercent(decision.advanceSharePercent)})`,
              `${pdfEuros(
                decision.advanceCents
              )}, versée après la signature de la convention attributive de subvention.`,
            ],
            [
              `Solde (${pdfPercent(balanceShare)})`,
              `${pdfEuros(
                decision.balanceCents
              )}, versé à la mise en service du médicobus, sur présentation d'un compte rendu d'exécution et de l'état récapitulatif des dépenses réalisées.`,
            ],
          ]}
        />
      </Section>
      <Section title="Conditions">
        <List
          items={[
            `Une convention précisant l'objet, le montant et les modalités de versement de la subvention vous sera adressée : elle doit être signée dans un délai de ${pdfInteger(
              decision.conventionMonths
            )} mois à compter de la présente notification, faute de quoi l'attribution pourra être retirée.`,
            `Pendant les ${pdfInteger(
              decision.projectYears
            )} ans du projet, vous transmettrez chaque année un rapport d'activité (tournées, consultations, patients sans médecin traitant pris en charge) et un compte rendu financier.`,
            "Le soutien de l'État est mentionné sur le véhicule et dans toute communication relative au projet.",
            "Les sommes non utilisées, ou utilisées à un autre objet que le projet, donneront lieu à reversement.",
          ]}
        />
      </Section>
    </>
  );
}

function WaitlistedBody({
  data,
  decision,
}: {
  data: DecisionLetterData;
  decision: Extract<LetterDecision, { outcome: "waitlisted" }>;
}) {
  return (
    <>
      <Paragraph>
        {`Le comité de sélection du ${letterDay(
          data.decidedAt
        )} a examiné le projet « ${
          data.projectTitle
        } » au titre de la ${data.waveTitle.toLowerCase()}. Je vous informe que ce projet est inscrit sur la liste complémentaire, au rang ${pdfInteger(
          decision.rank
        )}.`}
      </Paragraph>
      <Section title="Ce que signifie cette inscription">
        <List
          items={[
            "Le projet n'est pas financé à ce jour : les crédits de la vague sont entièrement engagés.",
            "Si des crédits se libèrent (retrait ou renoncement d'un projet retenu), les projets de la liste complémentaire sont retenus dans l'ordre de leur rang, dans la limite des crédits libérés. Vous recevrez alors une nouvelle décision.",
            decision.nextWaveTitle
              ? `La liste complémentaire vaut jusqu'à la clôture de la vague. Elle est alors reportée, dans le même ordre, sur la ${decision.nextWaveTitle.toLowerCase()}, sans que vous ayez à déposer un nouveau dossier.`
              : "La liste complémentaire vaut jusqu'à la clôture de la vague, qui est la dernière de l'appel à projets : si aucun crédit ne se libère d'ici là, le projet ne pourra pas être financé au titre de cet appel.",
          ]}
        />
      </Section>
    </>
  );
}

function RejectedBody({
  data,
  decision,
}: {
  data: DecisionLetterData;
  decision: Extract<LetterDecision, { outcome: "rejected" }>;
}) {
  return (
    <>
      <Paragraph>
        {`Le comité de sélection du ${letterDay(
          data.decidedAt
        )} a examiné le projet « ${
          data.projectTitle
        } » au titre de la ${data.waveTitle.toLowerCase()}. J'ai le regret de vous informer que ce projet n'a pas été retenu.`}
      </Paragraph>
      <Section title="Motifs de la décision">
        <Text style={letterStyles.motivation}>{decision.motivation}</Text>
      </Section>
    </>
  );
}

/*
 * Every outcome carries the voies et délais de recours, not only a refusal: the two-month
 * deadline of an individual decision runs only if its notification states them (Code de justice
 * administrative, art. R. 421-5), and a selected applicant may contest the amount.
 */
function Appeals({ authority }: { authority: string }) {
  return (
    // Short: kept whole on one page rather than its title stranded at the foot of the previous one.
    <View wrap={false}>
      <Section title="Voies et délais de recours">
        <Text style={[letterStyles.body, { marginBottom: 3 }]}>
          Cette décision peut être contestée dans un délai de deux mois à
          compter de sa notification :
        </Text>
        <List
          items={[
            `par un recours gracieux auprès de l'autorité signataire (${authority}) ;`,
            "par un recours contentieux devant le tribunal administratif compétent, qui peut être saisi par l'application « Télérecours citoyens » accessible sur le site www.telerecours.fr.",
          ]}
        />
        <Text style={letterStyles.mention}>
          Le recours gracieux interrompt le délai du recours contentieux, qui
          court à nouveau à compter de la réponse de l'administration ; son
          silence pendant deux mois vaut rejet.
        </Text>
      </Section>
    </View>
  );
}

export function DecisionLetterDocument({
  data: rawData,
}: {
  data: DecisionLetterData;
}) {
  const data = pdfSafe(rawData);
  const { decision } = data;
  return (
    <Document
      title={`Notification de décision — ${data.reference}`}
      subject={data.callTitle}
      author={data.authority.name}
      creator="Portail Médicobus"
      producer="Portail Médicobus"
      language="fr-FR"
    >
      <OfficialPage
        issuer={[
          data.authority.name,
          ...(data.authority.service ? [data.authority.service] : []),
        ]}
        footerLabel={`Notification de décision — dossier ${data.reference}`}
      >
        <Text style={letterStyles.placeDate}>{`${
          data.authority.place
        }, le ${letterDay(data.letterDate)}`}</Text>
        <View style={letterStyles.addressee}>
          <Text style={letterStyles.addresseeName}>
            {data.addressee.organisation}
          </Text>
          {data.addressee.representative ? (
            <Text
              style={letterStyles.line}
            >{`À l'attention de ${data.addressee.representative}`}</Text>
          ) : null}
          <Text style={letterStyles.line}>{data.addressee.seatCommune}</Text>
        </View>
        <Text style={letterStyles.meta}>
          <Text style={letterStyles.metaLabel}>Référence : </Text>
          {`dossier ${data.reference}`}
        </Text>
        <Text style={letterStyles.meta}>
          <Text style={letterStyles.metaLabel}>Dispositif : </Text>
          {`${data.callTitle} — ${data.waveTitle}`}
        </Text>
        <Text style={letterStyles.object}>
          <Text style={letterStyles.metaLabel}>Objet : </Text>
          {`notification de la décision de financement — ${
            OUTCOME_OBJECT[decision.outcome]
          }`}
        </Text>

        <Text style={letterStyles.body}>Madame, Monsieur,</Text>
        {decision.outcome === "selected" ? (
          <SelectedBody data={data} decision={decision} />
        ) : null}
        {decision.outcome === "waitlisted" ? (
          <WaitlistedBody data={data} decision={decision} />
        ) : null}
        {decision.outcome === "rejected" ? (
          <RejectedBody data={data} decision={decision} />
        ) : null}
        <Appeals authority={data.authority.name} />

        <View style={letterStyles.signature} wrap={false}>
          <Text style={[letterStyles.body, { textAlign: "left" }]}>
            Je vous prie d'agréer, Madame, Monsieur, l'expression de ma
            considération distinguée.
          </Text>
          <Text style={letterStyles.line}>{data.signatory.title}</Text>
          {data.signatory.name ? (
            <Text style={letterStyles.signatoryName}>
              {data.signatory.name}
            </Text>
          ) : null}
        </View>
      </OfficialPage>
    </Document>
  );
}

export function renderDecisionLetter(
  data: DecisionLetterData
): Promise<Buffer> {
  return renderPdf(<DecisionLetterDocument data={data} />);
}
