import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderReceipt } from "./receipt";
import { sampleReceipt } from "./receipt.sample";

/*
 * The PDFs are read back with poppler (pdftotext, pdfinfo, pdffonts), as a reader would see
 * them, rather than by inspecting react-pdf's tree: what counts is what ends up in the file.
 */
const workDir = mkdtempSync(path.join(tmpdir(), "receipt-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCount = 0;
function writePdf(buffer: Buffer) {
  const file = path.join(workDir, `receipt-${++fileCount}.pdf`);
  writeFileSync(file, buffer);
  return file;
}

function textOf(file: string, page?: number) {
  const range = page === undefined ? [] : ["-f", String(page), "-l", String(page)];
  return execFileSync("/usr/bin/pdftotext", [...range, file, "-"], { encoding: "utf8" });
}

function pageCount(file: string) {
  const info = execFileSync("/usr/bin/pdfinfo", [file], { encoding: "utf8" });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** Font names and whether each is embedded, from pdffonts' table. */
function fontsOf(file: string) {
  return execFileSync("/usr/bin/pdffonts", [file], { encoding: "utf8" })
    .split("\n")
    .slice(2)
    .filter(Boolean)
    .map((line) => line.trim().split(/\s+/))
    // The type column has spaces (« CID Type 0C »): read the flags from the right.
    .map((cells) => ({ name: cells[0], embedded: cells[cells.length - 5] === "yes" }));
}

/** Intl and the template use no-break spaces; a reader's search box does not care, nor do we. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
/** Undoes the line wrapping of a value that breaks at a space. */
const unwrapped = (text: string) => text.replace(/\n/g, " ");

describe("receipt PDF", () => {
  it("shows the reference, the Paris time of filing, the amounts, the hashes and what the user typed, literally", async () => {
    const data = sampleReceipt({
      projectTitle: "Médicobus <script>alert(1)</script> des Vallées d’Auge — « santé & proximité »",
    });
    const file = writePdf(await renderReceipt(data));
    const text = textOf(file);

    expect(text).toContain("Récépissé de dépôt de dossier");
    expect(text).toContain("MDB-2024-NOR-00042");
    // 10:42 UTC on 15 March is 11:42 in Paris (UTC+1 in winter).
    expect(plain(text)).toContain("Déposé le 15 mars 2024 à 11:42 (heure de Paris) par Jeanne Martin.");
    expect(plain(text)).toContain("29 mars 2024 à 12:00 (heure de Paris)");
    expect(plain(text)).toContain("200 000 €");
    expect(plain(text)).toContain("80 000 € (40 % du coût total)");
    expect(plain(text)).toContain("12 450 habitants");
    expect(plain(text)).toContain("200 069 999 00017");
    // Marianne has no glyph for the narrow no-break space Intl puts in numbers.
    expect(text).not.toContain("\u202f");
    expect(unwrapped(plain(text))).toContain("Médicobus <script>alert(1)</script> des Vallées d’Auge — « santé & proximité »");
    expect(text).toContain("Élisabeth Lefèvre-Hébert, Présidente de la communauté de communes");
    expect(text).toContain("Empreinte du dossier déposé (SHA-256)");
    expect(text).toContain(data.contentSha256);
    for (const piece of data.pieces) {
      expect(text).toContain(piece.fileName);
      expect(text).toContain(piece.sha256);
    }
    expect(text).toContain("Ce récépissé atteste du dépôt du dossier. Il ne préjuge pas de sa recevabilité ni de la décision de financement.");

    expect(pageCount(file)).toBe(2);
    expect(textOf(file, 1)).toContain("Page 1 / 2");
    expect(textOf(file, 2)).toContain("Page 2 / 2");
  });

  it("embeds Marianne and draws no text with a font it did not embed, except the standard Courier of the hashes", async () => {
    const fonts = fontsOf(writePdf(await renderReceipt(sampleReceipt())));
    expect(fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, "")).sort()).toEqual(["Courier", "Marianne-Bold", "Marianne-Regular"]);
    expect(fonts.filter((font) => !font.embedded).map((font) => font.name)).toEqual(["Courier"]);
  });

  it("flows a long list of pieces over several pages, with the footer on each one", async () => {
    const data = sampleReceipt({}, 30);
    const file = writePdf(await renderReceipt(data));

    expect(pageCount(file)).toBe(3);
    for (const page of [1, 2, 3]) {
      const text = textOf(file, page);
      expect(text).toContain("Récépissé de dépôt — dossier MDB-2024-NOR-00042");
      expect(text).toContain(`Page ${page} / 3`);
    }
    const text = textOf(file);
    expect(text).toContain("Pièces déposées (30)");
    for (const piece of data.pieces) expect(text).toContain(piece.sha256);
    // The closing blocks come once, after the last piece.
    expect(text.indexOf("Empreinte du dossier déposé")).toBeGreaterThan(text.indexOf(data.pieces[29].sha256));
  });

  it("wraps tokens too long for their column without inserting hyphens, and keeps French words whole", async () => {
    const fileName = "Budget_previsionnel_Medicobus_Orne_Est_2024_2027_version_definitive_signee_par_la_presidente.pdf";
    const data = sampleReceipt({
      projectTitle: "Accompagnement pluriprofessionnel départemental des intercommunalités rurales normandes",
    });
    data.pieces[0] = { ...data.pieces[0], fileName };
    const text = textOf(writePdf(await renderReceipt(data)));

    // It did not fit on one line, and joining the lines gives it back with no « - » added.
    expect(text).not.toContain(fileName);
    expect(text.replace(/\n/g, "")).toContain(fileName);
    for (const word of ["Accompagnement", "pluriprofessionnel", "départemental", "intercommunalités"]) expect(text).toContain(word);
  });

  it("uses the summer offset of Paris and leaves out the share when it cannot be computed", async () => {
    const data = sampleReceipt({ submittedAt: "2024-07-01T09:05:00.000Z", stateSharePercent: null, requestedCents: 12_345_678 });
    const text = plain(textOf(writePdf(await renderReceipt(data))));
    expect(text).toContain("Déposé le 1 juillet 2024 à 11:05 (heure de Paris)");
    expect(text).toContain("Subvention de l’État demandée");
    expect(text).toMatch(/123 456,78 €\n/);
    expect(text).not.toContain("du coût total");
  });
});
