import { Page, Text, View } from "@react-pdf/renderer";
import { type ReactNode } from "react";
import { styles } from "./styles";

/**
 * The frame every official document shares: the « République française » block on the first
 * page, the issuer on the right, and a footer repeated on each page with « Page n / N ».
 * Documents pass strings already made safe with pdfSafe/pdfText (see format.ts).
 */
export function OfficialPage({ issuer, footerLabel, children }: { issuer: string[]; footerLabel: string; children: ReactNode }) {
  const [issuerName, ...issuerDetails] = issuer;
  return (
    <Page size="A4" style={styles.page}>
      <View style={styles.header}>
        {/* One Text per line: a "\n" has no glyph in Marianne and would pull in Helvetica. */}
        <View style={styles.marianneBlock}>
          <Text style={styles.republique}>République</Text>
          <Text style={styles.republique}>française</Text>
          <View style={styles.deviseBlock}>
            <Text style={styles.devise}>Liberté</Text>
            <Text style={styles.devise}>Égalité</Text>
            <Text style={styles.devise}>Fraternité</Text>
          </View>
        </View>
        <View style={styles.issuer}>
          <Text style={styles.issuerName}>{issuerName}</Text>
          {issuerDetails.map((line) => (
            <Text key={line}>{line}</Text>
          ))}
        </View>
      </View>
      {children}
      <View style={styles.footer} fixed>
        <Text>{footerLabel}</Text>
        <Text render={({ pageNumber, totalPages }) => `Page ${pageNumber} / ${totalPages}`} />
      </View>
    </Page>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <View style={styles.section}>
      {/* minPresenceAhead keeps a title from being stranded at the foot of a page. */}
      <Text style={styles.sectionTitle} minPresenceAhead={40}>
        {title}
      </Text>
      {children}
    </View>
  );
}

export type KeyValueRow = readonly [label: string, value: ReactNode];

export function KeyValueTable({ rows }: { rows: readonly KeyValueRow[] }) {
  return (
    <View>
      {rows.map(([label, value]) => (
        <View key={label} style={styles.row} wrap={false}>
          <Text style={styles.rowLabel}>{label}</Text>
          {typeof value === "string" ? <Text style={styles.rowValue}>{value}</Text> : <View style={styles.rowValue}>{value}</View>}
        </View>
      ))}
    </View>
  );
}
