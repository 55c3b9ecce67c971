import { describe, expect, it } from "vitest";
import { MAX_FILE_NAME_LENGTH, sanitizeFileName } from "./filename";
import { acceptedFileType } from "./types";

const pdf = acceptedFileType("pdf");
const jpeg = acceptedFileType("jpeg");

describe("sanitizeFileName", () => {
  it.each([
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\marie\\Documents\\Statuts CPTS.pdf", "Statuts CPTS.pdf"],
    ["Délibération n°12 — conseil municipal.pdf", "Délibération n°12 — conseil municipal.pdf"],
    ["devis<v2>:final?.pdf", "devisv2final.pdf"],
    ['Devis "final" | garage*.pdf', "Devis final garage.pdf"],
    ["rib\u0000\u0007\u001b.pdf", "rib.pdf"],
    ["facture\u202Efdp.exe", "facturefdp.exe"],
    ["  budget \t\n prévisionnel\u00a0\u00a02024  .ods", "budget prévisionnel 2024.ods"],
    [".htaccess", "htaccess"],
    ["...rapport.pdf", "rapport.pdf"],
    ["rapport.pdf. . ", "rapport.pdf"],
    ["", "document"],
    ["   ", "document"],
    ["../..", "document"],
    ["<>:|?*", "document"],
  ])("%j → %j", (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it("composes accents the way a Mac decomposes them (NFC)", () => {
    const decomposed = "Re\u0301gion Nouvelle-Aquitaine.pdf";
    expect(decomposed).not.toBe("Région Nouvelle-Aquitaine.pdf");
    expect(sanitizeFileName(decomposed)).toBe("Région Nouvelle-Aquitaine.pdf");
  });

  it("caps the name at 120 characters and keeps the extension", () => {
    const result = sanitizeFileName(`${"é".repeat(300)}.xlsx`);
    expect(Array.from(result)).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(result.endsWith("é.xlsx")).toBe(true);
  });

  it("does not leave a dangling dot or space where it cut", () => {
    expect(sanitizeFileName(`${"a".repeat(114)} .b.c.d.pdf`)).toBe(`${"a".repeat(114)}.pdf`);
  });

  it("never cuts a character in half (emoji outside the BMP)", () => {
    const result = sanitizeFileName(`${"🚐".repeat(200)}.pdf`);
    expect(result).toBe(`${"🚐".repeat(116)}.pdf`);
  });

  describe("with the sniffed type", () => {
    it.each([
      ["devis.exe", pdf, "devis.pdf"],
      ["devis.PDF", pdf, "devis.pdf"],
      ["devis", pdf, "devis.pdf"],
      ["photo.JPEG", jpeg, "photo.jpeg"],
      ["photo.jpg", jpeg, "photo.jpg"],
      ["photo.png", jpeg, "photo.jpg"],
      ["compte rendu 12.03.2024", pdf, "compte rendu 12.03.2024.pdf"],
      ["../../etc/passwd", pdf, "passwd.pdf"],
      ["", pdf, "document.pdf"],
      [".pdf", pdf, "pdf.pdf"],
      ["facture\u202Efdp.exe", pdf, "facturefdp.pdf"],
    ])("%j as %s → %j", (input, type, expected) => {
      expect(sanitizeFileName(input, type)).toBe(expected);
    });

    it("counts the forced extension within the cap", () => {
      const result = sanitizeFileName(`${"x".repeat(200)}.exe`, pdf);
      expect(result).toHaveLength(MAX_FILE_NAME_LENGTH);
      expect(result.endsWith("x.pdf")).toBe(true);
    });
  });

  it("is stable: a sanitized name comes out unchanged", () => {
    const names = ["../../etc/passwd", " .. devis<>.exe", `${"é".repeat(300)}.xlsx`, "Re\u0301gion.pdf", "", "a. .pdf"];
    for (const name of names) {
      const once = sanitizeFileName(name, pdf);
      expect(sanitizeFileName(once, pdf)).toBe(once);
      expect(sanitizeFileName(sanitizeFileName(name))).toBe(sanitizeFileName(name));
    }
  });
});
