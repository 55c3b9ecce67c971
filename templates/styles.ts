import { StyleSheet } from "@react-pdf/renderer";

/** The family registered by render.server.ts; every document sets it on its page. */
export const FONT_FAMILY = "Marianne";
/** PDF standard font: needs no file, and its fixed width keeps hashes aligned and legible. */
export const MONOSPACE_FAMILY = "Courier";

/** DSFR colours, so the documents look like the portal they come from. */
export const colors = {
  blueFrance: "#000091",
  text: "#161616",
  mention: "#666666",
  label: "#3a3a3a",
  border: "#dddddd",
  background: "#f6f6f6",
} as const;

const PAGE_PADDING_X = 48;

/*
 * lineHeight is set on Text styles only, never on the page or a View: react-pdf then drops the
 * output of <Text render> (the page numbers, diegomura/react-pdf#3402 and #3566) and inherits
 * it as an already-resolved size that children scale again.
 */
export const styles = StyleSheet.create({
  page: {
    fontFamily: FONT_FAMILY,
    fontSize: 9.5,
    color: colors.text,
    paddingTop: 40,
    // Leaves room for the fixed footer so the flowing content never runs under it.
    paddingBottom: 64,
    paddingHorizontal: PAGE_PADDING_X,
  },
  header: { flexDirection: "row", justifyContent: "space-between", alignItems: "flex-start", marginBottom: 22 },
  marianneBlock: { width: 130 },
  republique: { fontWeight: 700, fontSize: 11, lineHeight: 1.1, textTransform: "uppercase", letterSpacing: 0.2 },
  deviseBlock: { marginTop: 6 },
  devise: { fontSize: 7.5, lineHeight: 1.2 },
  issuer: { width: 220, textAlign: "right", fontSize: 9, color: colors.label },
  issuerName: { fontWeight: 700, color: colors.text },
  title: { fontSize: 18, lineHeight: 1.2, fontWeight: 700, color: colors.blueFrance, marginBottom: 4 },
  section: { marginTop: 12 },
  sectionTitle: {
    fontSize: 11,
    lineHeight: 1.2,
    fontWeight: 700,
    color: colors.blueFrance,
    paddingBottom: 3,
    marginBottom: 4,
    borderBottomWidth: 1,
    borderBottomColor: colors.blueFrance,
  },
  row: { flexDirection: "row", paddingVertical: 2.5, borderBottomWidth: 0.5, borderBottomColor: colors.border },
  rowLabel: { width: "36%", paddingRight: 8, color: colors.label },
  rowValue: { width: "64%" },
  paragraph: { marginBottom: 4 },
  mention: { fontSize: 8.5, color: colors.mention },
  /* 64 hex digits at 7 pt take 269 pt, less than a value column: a hash stays on one line. */
  hash: { fontFamily: MONOSPACE_FAMILY, fontSize: 7, lineHeight: 1.3, color: colors.mention },
  framed: { marginTop: 12, padding: 10, backgroundColor: colors.background, borderLeftWidth: 3, borderLeftColor: colors.blueFrance },
  footer: {
    position: "absolute",
    bottom: 28,
    left: PAGE_PADDING_X,
    right: PAGE_PADDING_X,
    flexDirection: "row",
    justifyContent: "space-between",
    paddingTop: 6,
    borderTopWidth: 0.5,
    borderTopColor: colors.border,
    fontSize: 8,
    color: colors.mention,
  },
});
