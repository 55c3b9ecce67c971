import { describe, expect, it } from "vitest";
import {
  ACCEPTED_FILE_TYPES,
  acceptedFileType,
  FILE_INPUT_ACCEPT,
  FILE_INPUT_HINT,
  MAX_FILE_BYTES,
  REJECTED_TYPE_MESSAGE,
  TOO_LARGE_MESSAGE,
} from "./types";

describe("accepted file types", () => {
  it("has unique codes, MIME types and lower-case extensions", () => {
    expect(new Set(ACCEPTED_FILE_TYPES.map((type) => type.code)).size).toBe(ACCEPTED_FILE_TYPES.length);
    expect(new Set(ACCEPTED_FILE_TYPES.map((type) => type.mimeType)).size).toBe(ACCEPTED_FILE_TYPES.length);
    for (const type of ACCEPTED_FILE_TYPES) {
      expect(type.extensions.length).toBeGreaterThan(0);
      for (const extension of type.extensions) expect(extension).toMatch(/^[a-z0-9]+$/);
    }
  });

  it.each(ACCEPTED_FILE_TYPES)("names $code in the refusal message, the hint and the accept attribute", (type) => {
    const name = type.code.toUpperCase();
    expect(REJECTED_TYPE_MESSAGE).toContain(name);
    expect(FILE_INPUT_HINT).toContain(name);
    expect(FILE_INPUT_ACCEPT.split(",")).toEqual(expect.arrayContaining([type.mimeType, ...type.extensions.map((e) => `.${e}`)]));
    expect(acceptedFileType(type.code)).toBe(type);
  });

  it("caps files at 20 MB and says so", () => {
    expect(MAX_FILE_BYTES).toBe(20 * 1024 * 1024);
    expect(TOO_LARGE_MESSAGE).toBe("Le fichier dépasse 20 Mo.");
    expect(FILE_INPUT_HINT).toBe("Taille maximale : 20 Mo. Formats acceptés : PDF, PNG, JPEG, ODT, ODS, DOCX, XLSX.");
  });
});
