import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "~/utils/errors";
import { sampleExe, sampleFiles, sampleHtml, samplePdf } from "../../../tests/fixtures/files";
import { DiskFileStorage } from "./storage.server";
import { ACCEPTED_FILE_TYPES, MAX_FILE_BYTES, REJECTED_TYPE_MESSAGE } from "./types";
import { readUpload } from "./upload.server";

let root: string;
let storage: DiskFileStorage;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "medicobus-upload-test-"));
  storage = new DiskFileStorage(root);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const PIECES_URL = "http://localhost/dossiers/MB-2024-0001/pieces";

/** The DOM typings want a Blob part backed by a plain ArrayBuffer; Buffer views may not be. */
const blob = (bytes: Uint8Array, options?: BlobPropertyBag) => new Blob([Uint8Array.from(bytes)], options);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A request as a browser sends it: FormData with a Blob, serialised by fetch's own encoder. */
function uploadRequest(file: { bytes: Uint8Array; name: string; type?: string } | null, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append("piece", blob(file.bytes, { type: file.type ?? "application/octet-stream" }), file.name);
  return new Request(PIECES_URL, { method: "POST", body: form });
}

function read(request: Request) {
  return readUpload(request, { fieldName: "piece", storage });
}

/**
 * A multipart body produced 64 KiB at a time, as a socket delivers it, and only when read: the
 * count of bytes pulled shows where the server stopped reading.
 */
function streamedUpload(start: Uint8Array, fileBytes: number) {
  const encoder = new TextEncoder();
  const opening = encoder.encode('--x\r\nContent-Disposition: form-data; name="piece"; filename="devis.pdf"\r\n\r\n');
  const closing = encoder.encode("\r\n--x--\r\n");
  const chunkBytes = 64 * 1024;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= fileBytes) {
          controller.enqueue(closing);
          controller.close();
          return;
        }
        const chunk = new Uint8Array(Math.min(chunkBytes, fileBytes - sent));
        if (sent === 0) chunk.set(start.subarray(0, chunk.length));
        sent += chunk.length;
        controller.enqueue(sent === chunk.length ? Buffer.concat([opening, chunk]) : chunk);
      },
    },
    { highWaterMark: 0 },
  );
  const request = new Request(PIECES_URL, {
    method: "POST",
    body,
    headers: { "Content-Type": "multipart/form-data; boundary=x" },
    duplex: "half",
  } as RequestInit);
  return { request, pulledBytes: () => sent };
}

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const samples = sampleFiles();

describe("readUpload", () => {
  it.each(ACCEPTED_FILE_TYPES)("accepts a real $code file and stores it by its hash", async (type) => {
    const bytes = samples[type.code];
    const upload = await read(uploadRequest({ bytes, name: `Pièce justificative.${type.extensions[0]}` }, { pieceCode: "devis_vehicule" }));
    expect(upload).toMatchObject({
      sha256: sha256(bytes),
      sizeBytes: bytes.length,
      mimeType: type.mimeType,
      typeLabel: type.label,
      fileName: `Pièce justificative.${type.extensions[0]}`,
    });
    expect(upload.fields.get("pieceCode")).toBe("devis_vehicule");
    expect(upload.fields.has("piece")).toBe(false);
    expect(await storage.has(upload.sha256)).toBe(true);
    expect(await storedFiles()).toEqual([upload.sha256]);
  });

  it("trusts the bytes, not the name or the browser's type: devis.exe that is a PDF is devis.pdf", async () => {
    const upload = await read(uploadRequest({ bytes: samplePdf(), name: "devis.exe", type: "application/x-msdownload" }));
    expect(upload.mimeType).toBe("application/pdf");
    expect(upload.fileName).toBe("devis.pdf");
  });

  it.each([
    ["an executable renamed .pdf", sampleExe()],
    ["an HTML page named .pdf", sampleHtml()],
    ["a truncated PDF", samplePdf().subarray(0, 200)],
  ])("refuses %s with a 422 and keeps nothing", async (_label, bytes) => {
    const error = await refusal(read(uploadRequest({ bytes, name: "devis.pdf", type: "application/pdf" })));
    expect(error.status).toBe(422);
    expect(error.message).toBe(REJECTED_TYPE_MESSAGE);
    expect(error.fieldErrors).toEqual({ piece: [REJECTED_TYPE_MESSAGE] });
    expect(await storedFiles()).toEqual([]);
  });

  it("refuses a 21 MB file with a 413, counted on the stream, and keeps nothing", async () => {
    const big = new Uint8Array(21 * 1024 * 1024);
    big.set(samplePdf()); // a PDF start, so that it is the size, not the type, that is refused
    const request = uploadRequest({ bytes: big, name: "plans.pdf" });
    expect(request.headers.get("Content-Length")).toBeNull();
    const error = await refusal(read(request));
    expect(error.status).toBe(413);
    expect(error.message).toBe("Le fichier dépasse 20 Mo.");
    expect(error.fieldErrors).toEqual({ piece: ["Le fichier dépasse 20 Mo."] });
    expect(await storedFiles()).toEqual([]);
  });

  it("refuses a 21 MB file sent in chunks with no Content-Length, and keeps nothing", async () => {
    const upload = streamedUpload(samplePdf(), 21 * 1024 * 1024);
    const error = await refusal(read(upload.request));
    expect(error.status).toBe(413);
    // Stopped at the cap, not at the end of what the client would have sent.
    expect(upload.pulledBytes()).toBeLessThan(MAX_FILE_BYTES + 256 * 1024);
    expect(await storedFiles()).toEqual([]);
  });

  it("stops reading a hostile body that never ends its part headers", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const chunk = Buffer.alloc(64 * 1024, "x");
          if (sent === 0) chunk.write('--x\r\nContent-Disposition: form-data; name="piece"; filename="');
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request(PIECES_URL, {
      method: "POST",
      body,
      headers: { "Content-Type": "multipart/form-data; boundary=x" },
      duplex: "half",
    } as RequestInit);
    const error = await refusal(read(request));
    expect(error.status).toBe(413);
    expect(sent).toBeLessThan(MAX_FILE_BYTES + 2 * 1024 * 1024);
  });

  it("refuses a large HTML page from its first bytes, without reading the rest", async () => {
    const upload = streamedUpload(sampleHtml(), MAX_FILE_BYTES - 1024);
    const error = await refusal(read(upload.request));
    expect(error.status).toBe(422);
    expect(upload.pulledBytes()).toBeLessThan(256 * 1024);
    expect(await storedFiles()).toEqual([]);
  });

  it("accepts a file of exactly 20 MB", async () => {
    const pdf = samplePdf();
    const bytes = new Uint8Array(MAX_FILE_BYTES);
    bytes.set(pdf.subarray(0, pdf.length - 6));
    bytes.set(pdf.subarray(pdf.length - 6), MAX_FILE_BYTES - 6);
    const upload = await read(uploadRequest({ bytes, name: "plans.pdf" }));
    expect(upload.sizeBytes).toBe(MAX_FILE_BYTES);
  });

  it("refuses at once a request whose Content-Length is far above the cap, without reading it", async () => {
    let pulled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull() {
          pulled = true;
          throw new Error("the body should not have been read");
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request(PIECES_URL, {
      method: "POST",
      body,
      headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(200 * 1024 * 1024) },
      duplex: "half",
    } as RequestInit);
    const error = await refusal(read(request));
    expect(error.status).toBe(413);
    expect(pulled).toBe(false);
  });

  it("strips the directory from ../../etc/passwd", async () => {
    const upload = await read(uploadRequest({ bytes: samplePdf(), name: "../../etc/passwd" }));
    expect(upload.fileName).toBe("passwd.pdf");
  });

  it("keeps accents and drops what the browser escaped", async () => {
    const upload = await read(uploadRequest({ bytes: samplePdf(), name: 'Devis "définitif"\nRe\u0301gion.pdf' }));
    expect(upload.fileName).toBe("Devis définitif Région.pdf");
  });

  it.each(["Devis; version 2.pdf", "facture=2024.pdf"])("asks to rename %j, a name Remix's parser cannot read", async (name) => {
    const error = await refusal(read(uploadRequest({ bytes: samplePdf(), name })));
    expect([error.status, error.code]).toEqual([400, "upload_file_name_unreadable"]);
    expect(error.fieldErrors.piece?.[0]).toMatch(/renommez le fichier/);
    expect(await storedFiles()).toEqual([]);
  });

  it("stores the same content uploaded twice once", async () => {
    const first = await read(uploadRequest({ bytes: samplePdf("RIB"), name: "rib.pdf" }));
    const second = await read(uploadRequest({ bytes: samplePdf("RIB"), name: "RIB du porteur.pdf" }));
    expect(second.sha256).toBe(first.sha256);
    expect(second.fileName).toBe("RIB du porteur.pdf");
    expect(await storedFiles()).toEqual([first.sha256]);
  });

  it("reads the text fields in UTF-8, several values per name included", async () => {
    const form = new FormData();
    form.append("commentaire", "Délibération du 12 mars — version signée");
    form.append("tag", "a");
    form.append("tag", "b");
    form.append("piece", blob(samplePdf()), "d.pdf");
    const upload = await read(new Request(PIECES_URL, { method: "POST", body: form }));
    expect(upload.fields.get("commentaire")).toBe("Délibération du 12 mars — version signée");
    expect(upload.fields.getAll("tag")).toEqual(["a", "b"]);
  });

  describe("when no file comes", () => {
    it("says so when the field is missing", async () => {
      const error = await refusal(read(uploadRequest(null, { pieceCode: "rib" })));
      expect([error.status, error.message]).toEqual([400, "Aucun fichier n'a été reçu."]);
      expect(error.fieldErrors).toEqual({ piece: ["Aucun fichier n'a été reçu."] });
    });

    it("says so when the input was left empty (a part with no name and no bytes)", async () => {
      const error = await refusal(read(uploadRequest({ bytes: new Uint8Array(0), name: "" })));
      expect([error.status, error.message]).toEqual([400, "Aucun fichier n'a été reçu."]);
      expect(await storedFiles()).toEqual([]);
    });

    it("says so when the form was not sent as multipart", async () => {
      const request = new Request(PIECES_URL, { method: "POST", body: new URLSearchParams({ piece: "devis.pdf" }) });
      const error = await refusal(read(request));
      expect([error.status, error.message]).toEqual([400, "Aucun fichier n'a été reçu."]);
    });

    it("tells an empty file apart", async () => {
      const error = await refusal(read(uploadRequest({ bytes: new Uint8Array(0), name: "devis.pdf" })));
      expect([error.status, error.message]).toEqual([400, "Le fichier est vide."]);
      expect(await storedFiles()).toEqual([]);
    });
  });

  describe("a form that does not play by the rules", () => {
    it("refuses two files and keeps neither", async () => {
      const form = new FormData();
      form.append("piece", blob(samplePdf("un")), "un.pdf");
      form.append("piece", blob(samplePdf("deux")), "deux.pdf");
      const error = await refusal(read(new Request(PIECES_URL, { method: "POST", body: form })));
      expect(error.status).toBe(400);
      expect(await storedFiles()).toEqual([]);
    });

    it("refuses a file in another field", async () => {
      const form = new FormData();
      form.append("autre", blob(samplePdf()), "un.pdf");
      const error = await refusal(read(new Request(PIECES_URL, { method: "POST", body: form })));
      expect(error.status).toBe(400);
      expect(await storedFiles()).toEqual([]);
    });

    it("refuses oversized text fields, and drops the file received before them", async () => {
      const form = new FormData();
      form.append("piece", blob(samplePdf()), "un.pdf");
      form.append("commentaire", "x".repeat(100 * 1024));
      const error = await refusal(read(new Request(PIECES_URL, { method: "POST", body: form })));
      expect([error.status, error.message]).toEqual([413, "Le formulaire envoyé est trop volumineux."]);
      expect(await storedFiles()).toEqual([]);
    });

    it("answers a malformed body with a 400, not a 500", async () => {
      const body = "--x\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--x--\r\n";
      const request = new Request(PIECES_URL, { method: "POST", body, headers: { "Content-Type": "multipart/form-data; boundary=x" } });
      const error = await refusal(read(request));
      expect([error.status, error.code]).toEqual([400, "upload_unreadable"]);
    });

    it("answers a body cut in the middle of the file with a 400 and keeps nothing", async () => {
      const pdf = Buffer.from(samplePdf());
      const body = Buffer.concat([
        Buffer.from('--x\r\nContent-Disposition: form-data; name="piece"; filename="d.pdf"\r\n\r\n'),
        pdf.subarray(0, 100),
      ]);
      const request = new Request(PIECES_URL, { method: "POST", body, headers: { "Content-Type": "multipart/form-data; boundary=x" } });
      const error = await refusal(read(request));
      expect([error.status, error.code]).toEqual([400, "upload_unreadable"]);
      expect(await storedFiles()).toEqual([]);
    });
  });

  it("lets a storage failure through as an error of ours (a 500), not the user's", async () => {
    const blocked = path.join(root, "not-a-folder");
    await writeFile(blocked, "");
    const unusable = new DiskFileStorage(path.join(blocked, "files"));
    const request = uploadRequest({ bytes: samplePdf(), name: "d.pdf" });
    const error = await readUpload(request, { fieldName: "piece", storage: unusable }).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: "ENOTDIR" });
    expect(error).not.toBeInstanceOf(DomainError);
  });
});
