import { describe, expect, it } from "vitest";
import {
  docxEntries,
  odfEntries,
  sampleDocx,
  sampleExe,
  sampleFiles,
  sampleHtml,
  sampleXlsx,
  zip,
  type ZipEntry,
} from "../../../tests/fixtures/files";
import { mayBeAcceptedType, sniffByteWindow, sniffFileType } from "./sniff";
import { ACCEPTED_FILE_TYPES } from "./types";

const samples = Object.entries(sampleFiles()) as Array<[keyof ReturnType<typeof sampleFiles>, Uint8Array]>;
const text = (value: string) => new TextEncoder().encode(value);

describe("sniffFileType", () => {
  it("has a sample for every accepted type", () => {
    expect(samples.map(([code]) => code).sort()).toEqual(ACCEPTED_FILE_TYPES.map((type) => type.code).sort());
  });

  it.each(samples)("recognises a real %s file", (code, bytes) => {
    expect(sniffFileType(bytes)?.code).toBe(code);
  });

  it.each(samples)("refuses a %s file cut short, at any length", (_code, bytes) => {
    for (const length of [0, 3, 8, 16, 40, Math.floor(bytes.length / 2), bytes.length - 8]) {
      expect(sniffFileType(bytes.subarray(0, length)), `first ${length} bytes`).toBeNull();
    }
  });

  it("never reads out of bounds, whatever prefix of a ZIP it is given", () => {
    const docx = sampleDocx();
    for (let length = 0; length < docx.length; length++) {
      expect(sniffFileType(docx.subarray(0, length))).toBeNull();
    }
  });

  it("never throws on corrupted bytes", () => {
    for (const [, bytes] of samples) {
      for (let position = 0; position < bytes.length; position += 7) {
        const corrupted = Uint8Array.from(bytes);
        corrupted[position] ^= 0xff;
        expect(() => sniffFileType(corrupted)).not.toThrow();
      }
    }
  });

  it.each([
    ["an executable renamed .pdf", sampleExe()],
    ["an HTML page", sampleHtml()],
    ["a text file", text("Budget prévisionnel : 250 000 €\n")],
    ["an empty file", new Uint8Array(0)],
    ["a PDF header with no trailer", text("%PDF-1.7\n1 0 obj\n<< >>\nendobj\n")],
    ["« %PDF- » not followed by a version", text("%PDF-x\n%%EOF\n")],
    ["an HTML page that mentions %PDF- later", text("<html>%PDF-1.4 %%EOF</html>")],
  ])("refuses %s", (_label, bytes) => {
    expect(sniffFileType(bytes)).toBeNull();
  });

  describe("ZIP-based documents", () => {
    const entry = (name: string, data = "x"): ZipEntry => ({ name, data, compress: true });

    it("reads a DOCX written with data descriptors (sizes after the data)", () => {
      expect(sniffFileType(sampleDocx({ dataDescriptor: true }))?.code).toBe("docx");
    });

    it("finds the end record behind a comment, even one that contains its signature", () => {
      expect(sniffFileType(sampleXlsx({ comment: "PK\u0005\u0006 commentaire" }))?.code).toBe("xlsx");
    });

    it("does not depend on the order of the OOXML entries", () => {
      expect(sniffFileType(zip([...docxEntries()].reverse()))?.code).toBe("docx");
    });

    it.each([
      ["a plain archive", [entry("photo.jpg"), entry("notes.txt")]],
      ["a PowerPoint file (ppt/)", [entry("[Content_Types].xml"), entry("ppt/presentation.xml")]],
      ["word/ without [Content_Types].xml", [entry("word/document.xml")]],
      ["both word/ and xl/", [entry("[Content_Types].xml"), entry("word/document.xml"), entry("xl/workbook.xml")]],
      ["an ODT whose mimetype is compressed", odfEntries("text").map((item) => ({ ...item, compress: true }))],
      ["an ODT whose mimetype is not the first entry", [...odfEntries("text")].reverse()],
      ["an ODT without content.xml", odfEntries("text").filter((item) => item.name !== "content.xml")],
      ["an ODF template (.ott)", [{ name: "mimetype", data: "application/vnd.oasis.opendocument.text-template" }, ...odfEntries("text").slice(1)]],
      ["an ODF presentation (.odp)", [{ name: "mimetype", data: "application/vnd.oasis.opendocument.presentation" }, ...odfEntries("text").slice(1)]],
      ["a mimetype entry that names an Object property", [{ name: "mimetype", data: "constructor" }, ...odfEntries("text").slice(1)]],
    ])("refuses %s", (_label, entries) => {
      expect(sniffFileType(zip(entries))).toBeNull();
    });

    it("refuses an archive with trailing bytes after its end record", () => {
      const docx = sampleDocx();
      expect(sniffFileType(Uint8Array.from([...docx, 0, 0, 0, 0]))).toBeNull();
    });

    it("refuses a central directory that points past its end record", () => {
      const docx = Buffer.from(sampleDocx());
      const end = docx.length - 22;
      docx.writeUInt32LE(docx.readUInt32LE(end + 16) + 4096, end + 16);
      expect(sniffFileType(docx)).toBeNull();
    });
  });
});

describe("sniffByteWindow (first and last bytes of a streamed file)", () => {
  it("decides from the two ends when the middle was never kept", () => {
    const docx = sampleDocx();
    const head = docx.subarray(0, 64);
    expect(sniffByteWindow({ size: docx.length, head, tail: docx.subarray(docx.length - 400) })?.code).toBe("docx");
  });

  it("refuses when the central directory is not inside the window", () => {
    const docx = sampleDocx();
    expect(sniffByteWindow({ size: docx.length, head: docx.subarray(0, 64), tail: docx.subarray(docx.length - 40) })).toBeNull();
  });

  it("refuses a window larger than the file it claims to describe", () => {
    const pdf = sampleFiles().pdf;
    expect(sniffByteWindow({ size: 10, head: pdf, tail: pdf })).toBeNull();
  });
});

describe("mayBeAcceptedType", () => {
  it.each(samples)("keeps reading a %s file", (_code, bytes) => {
    for (const length of [0, 1, 2, 4, 8, 64]) expect(mayBeAcceptedType(bytes.subarray(0, length))).toBe(true);
  });

  it.each([
    ["an executable", sampleExe()],
    ["an HTML page", sampleHtml()],
    ["a GIF image", text("GIF89a")],
    ["a PNG signature gone wrong", Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00)],
  ])("stops %s from its first bytes", (_label, bytes) => {
    expect(mayBeAcceptedType(bytes.subarray(0, 8))).toBe(false);
  });
});
