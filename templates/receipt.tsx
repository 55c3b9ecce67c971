import { Document, StyleSheet, Text, View } from "@react-pdf/renderer";
import { pdfEuros, pdfInteger, pdfParisDateTime, pdfPercent, pdfSafe, pdfSiret } from "./format";
import { KeyValueTable, OfficialPage, Section } from "./layout";
import { renderPdf } from "./render.server";
import { MONOSPACE_FAMILY, styles } from "./styles";

export interface ReceiptData {
  reference: string;
  /** ISO instant of the submission. */
  submittedAt: string;
  callTitle: string;
  waveTitle: string;
  /** ISO instant of the wave's deadline. */
  closesAt: string;
  organisation: { name: string; siret: string; kindLabel: string; seatCommune: string };
  projectTitle: string;
  regionName: string;
  departements: string[];
  communesCount: number;
  populationCovered: number;
  totalCostCents: number;
  requestedCents: number;
  /** Null when the share cannot be computed (no eligible cost). */
  stateSharePercent: number | null;
  signatory: { name: string; capacity: string };
  pieces: Array<{ label: string; fileName: string; sha256: string }>;
  contentSha256: string;
  submittedBy: string;
}

const ISSUER = ["Portail Médicobus", "Dépôt en ligne des dossiers"];

const receiptStyles = StyleSheet.create({
  reference: { fontSize: 22, lineHeight: 1.2, fontWeight: 700, marginBottom: 2 },
  fingerprintTitle: { fontWeight: 700, marginBottom: 2 },
  fingerprint: { fontFamily: MONOSPACE_FAMILY, fontSize: 9, marginBottom: 4 },
  legal: { marginTop: 12, fontWeight: 700 },
});

function requestedSubsidy(data: ReceiptData) {
  const amount = pdfEuros(data.requestedCents);
  return data.stateSharePercent === null ? amount : `${amount} (${pdfPercent(data.stateSharePercent)} du coût total)`;
}

export function ReceiptDocument({ data: rawData }: { data: ReceiptData }) {
  const data = pdfSafe(rawData);
  return (
    <Document
      title={`Récépissé de dépôt — ${data.reference}`}
      subject={data.callTitle}
      author="Portail Médicobus"
      creator="Portail Médicobus"
      producer="Portail Médicobus"
      language="fr-FR"
    >
      <OfficialPage issuer={ISSUER} footerLabel={`Récépissé de dépôt — dossier ${data.reference}`}>
        <Text style={styles.title}>Récépissé de dépôt de dossier</Text>
        <Text style={receiptStyles.reference}>{data.reference}</Text>
        <Text style={styles.paragraph}>
          Déposé le {pdfParisDateTime(data.submittedAt)} par {data.submittedBy}.
        </Text>

        <Section title="Appel à projets">
          <KeyValueTable
            rows={[
              ["Appel à projets", data.callTitle],
              ["Vague", data.waveTitle],
              ["Date limite de dépôt", pdfParisDateTime(data.closesAt)],
            ]}
          />
        </Section>

        <Section title="Porteur de projet">
          <KeyValueTable
            rows={[
              ["Organisation", data.organisation.name],
              ["SIRET", pdfSiret(data.organisation.siret)],
              ["Catégorie", data.organisation.kindLabel],
              ["Siège", data.organisation.seatCommune],
              ["Signataire", `${data.signatory.name}, ${data.signatory.capacity}`],
            ]}
          />
        </Section>

        <Section title="Projet">
          <KeyValueTable
            rows={[
              ["Intitulé", data.projectTitle],
              ["Région", data.regionName],
              [data.departements.length > 1 ? "Départements" : "Département", data.departements.join(", ")],
              ["Communes desservies", pdfInteger(data.communesCount)],
              ["Population couverte", `${pdfInteger(data.populationCovered)} habitants`],
              ["Coût total du projet", pdfEuros(data.totalCostCents)],
              ["Subvention de l’État demandée", requestedSubsidy(data)],
            ]}
          />
        </Section>

        <Section title={`Pièces déposées (${data.pieces.length})`}>
          {data.pieces.length === 0 ? (
            <Text style={styles.mention}>Aucune pièce jointe.</Text>
          ) : (
            <>
              <Text style={[styles.mention, styles.paragraph]}>Chaque fichier est suivi de son empreinte SHA-256.</Text>
              {data.pieces.map((piece, index) => (
                // Labels may repeat (two quotes, two letters of support): the position is the identity.
                <View key={index} style={styles.row} wrap={false}>
                  <Text style={styles.rowLabel}>{piece.label}</Text>
                  <View style={styles.rowValue}>
                    <Text>{piece.fileName}</Text>
                    <Text style={styles.hash}>{piece.sha256}</Text>
                  </View>
                </View>
              ))}
            </>
          )}
        </Section>

        <View style={styles.framed} wrap={false}>
          <Text style={receiptStyles.fingerprintTitle}>Empreinte du dossier déposé (SHA-256)</Text>
          <Text style={receiptStyles.fingerprint}>{data.contentSha256}</Text>
          <Text style={styles.mention}>
            Elle permet de vérifier que le dossier conservé par l’administration est identique à celui qui a été déposé.
          </Text>
        </View>

        <Text style={receiptStyles.legal} wrap={false}>
          Ce récépissé atteste du dépôt du dossier. Il ne préjuge pas de sa recevabilité ni de la décision de financement.
        </Text>
      </OfficialPage>
    </Document>
  );
}

export function renderReceipt(data: ReceiptData): Promise<Buffer> {
  return renderPdf(<ReceiptDocument data={data} />);
}
