import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { env } from "~/env.server";
import { samplePdf } from "../../../tests/fixtures/files";
import { DiskFileStorage, FileTooLargeError, fileStorage, StoredFileNotFoundError } from "./storage.server";

let root: string;
let storage: DiskFileStorage;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "medicobus-storage-test-"));
  storage = new DiskFileStorage(root);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under the root, temporary ones included, relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("DiskFileStorage", () => {
  it("stores bytes under ab/cd/<sha256> and reads them back", async () => {
    const pdf = samplePdf();
    const stored = await storage.put(pdf);
    const hash = sha256(pdf);
    expect(stored).toEqual({ sha256: hash, sizeBytes: pdf.length });
    expect(await filesUnder(root)).toEqual([path.join(hash.slice(0, 2), hash.slice(2, 4), hash)]);
    expect(storage.pathOf(hash)).toBe(path.join(root, hash.slice(0, 2), hash.slice(2, 4), hash));
    expect(await storage.has(hash)).toBe(true);
    expect(Buffer.compare(await readFile(storage.pathOf(hash)), Buffer.from(pdf))).toBe(0);
    expect(await text(await storage.get(hash))).toBe(Buffer.from(pdf).toString("utf8"));
  });

  it("hashes and counts a stream chunk by chunk", async () => {
    const chunks = ["Budget ", "prévisionnel ", "sur trois ans"].map((part) => Buffer.from(part));
    const stored = await storage.put(Readable.from(chunks));
    const whole = Buffer.concat(chunks);
    expect(stored).toEqual({ sha256: sha256(whole), sizeBytes: whole.length });
  });

  it("keeps one file for the same content stored twice, even at the same time", async () => {
    const pdf = samplePdf("Statuts");
    const results = await Promise.all([storage.put(pdf), storage.put(Readable.from([pdf])), storage.put(pdf)]);
    expect(new Set(results.map((result) => result.sha256)).size).toBe(1);
    expect(await filesUnder(root)).toHaveLength(1);
  });

  it("keeps the file already stored when identical content comes again", async () => {
    const pdf = samplePdf("RIB");
    const { sha256: hash } = await storage.put(pdf);
    const before = await stat(storage.pathOf(hash));
    const staged = await storage.stage(pdf);
    await staged.commit();
    // Same inode: the stored file was not replaced by the new copy.
    expect((await stat(storage.pathOf(hash))).ino).toBe(before.ino);
    expect(await filesUnder(root)).toHaveLength(1);
  });

  it("stops past the cap with a typed error and leaves no file behind", async () => {
    const chunks = Array.from({ length: 5 }, () => Buffer.alloc(1024, 0x41));
    await expect(storage.put(Readable.from(chunks), { maxBytes: 3 * 1024 })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await filesUnder(root)).toEqual([]);
  });

  it("accepts a file of exactly the cap", async () => {
    const stored = await storage.put(Buffer.alloc(4096), { maxBytes: 4096 });
    expect(stored.sizeBytes).toBe(4096);
  });

  it("removes the temporary file when the source fails half-way", async () => {
    async function* failing() {
      yield Buffer.from("début du fichier");
      throw new Error("connexion coupée");
    }
    await expect(storage.put(failing())).rejects.toThrow("connexion coupée");
    expect(await filesUnder(root)).toEqual([]);
  });

  it("refuses a source that yields strings rather than bytes", async () => {
    await expect(storage.put(Readable.from(["texte"]))).rejects.toBeInstanceOf(TypeError);
    expect(await filesUnder(root)).toEqual([]);
  });

  it("makes a staged file readable only once committed, and forgets a discarded one", async () => {
    const kept = await storage.stage(samplePdf("kept"));
    const dropped = await storage.stage(samplePdf("dropped"));
    expect(await storage.has(kept.sha256)).toBe(false);
    await kept.commit();
    await dropped.discard();
    expect(await storage.has(kept.sha256)).toBe(true);
    expect(await storage.has(dropped.sha256)).toBe(false);
    expect(await filesUnder(root)).toHaveLength(1);
  });

  it("says when nothing is stored under a hash", async () => {
    const missing = "0".repeat(64);
    expect(await storage.has(missing)).toBe(false);
    await expect(storage.get(missing)).rejects.toBeInstanceOf(StoredFileNotFoundError);
  });

  it.each(["../../etc/passwd", "A".repeat(64), "abc", `${"a".repeat(64)}/../x`])("never turns %j into a path", async (hash) => {
    await writeFile(path.join(root, "passwd"), "secret");
    expect(() => storage.pathOf(hash)).toThrow(/SHA-256/);
    await expect(storage.has(hash)).rejects.toThrow(/SHA-256/);
    await expect(storage.get(hash)).rejects.toThrow(/SHA-256/);
  });
});

describe("fileStorage", () => {
  it("is one storage per process", () => {
    expect(fileStorage()).toBe(fileStorage());
  });

  it.runIf(env.DATA_DIR.startsWith("memory://"))("keeps files in a temporary folder when the database is in memory", async () => {
    const storage = fileStorage();
    expect(storage).toBeInstanceOf(DiskFileStorage);
    expect((storage as DiskFileStorage).root.startsWith(os.tmpdir())).toBe(true);
    const { sha256: hash } = await storage.put(samplePdf("mémoire"));
    expect(await storage.has(hash)).toBe(true);
  });
});
