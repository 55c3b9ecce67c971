import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { type FileHandle, mkdir, open, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Readable } from "node:stream";
import { env } from "~/env.server";

export type FileSource = Uint8Array | AsyncIterable<Uint8Array>;

export interface StoredFile {
  sha256: string;
  sizeBytes: number;
}

/** Bytes written and hashed but not yet readable: the caller checks them, then commits or discards. */
export interface StagedFile extends StoredFile {
  /** Makes the bytes readable under their SHA-256; a file already stored with that hash is kept. */
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export interface StoreOptions {
  /** Stop reading and refuse the file once it exceeds this many bytes. */
  maxBytes?: number;
}

/**
 * Where the bytes of the pièces live, addressed by their SHA-256: identical content is stored
 * once, and a stored file never changes. Kept to these few verbs so that an S3-compatible
 * object store can be added behind it later (several app servers without a shared volume):
 * stage = upload under a temporary key, commit = copy to the hash key, get = a GET stream.
 */
export interface FileStorage {
  put(source: FileSource, options?: StoreOptions): Promise<StoredFile>;
  stage(source: FileSource, options?: StoreOptions): Promise<StagedFile>;
  /** Rejects with StoredFileNotFoundError when nothing is stored under that hash. */
  get(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
}

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`File larger than ${maxBytes} bytes`);
    this.name = "FileTooLargeError";
  }
}

export class StoredFileNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`No stored file for ${sha256}`);
    this.name = "StoredFileNotFoundError";
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Local disk: `<root>/ab/cd/<sha256>`, two levels of folders so that none holds more than a few
 * hundred files even with a million pieces. Writes go to `<root>/.tmp` first, on the same file
 * system, so that the final `rename` is atomic: a reader sees a whole file or none.
 */
export class DiskFileStorage implements FileStorage {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    // The hash becomes a path: anything but 64 hex digits could climb out of the root.
    if (!SHA256_HEX.test(sha256)) throw new Error(`Not a SHA-256 hex digest: ${JSON.stringify(sha256)}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(source: FileSource, options?: StoreOptions): Promise<StoredFile> {
    const staged = await this.stage(source, options);
    await staged.commit();
    return { sha256: staged.sha256, sizeBytes: staged.sizeBytes };
  }

  async stage(source: FileSource, { maxBytes = Number.POSITIVE_INFINITY }: StoreOptions = {}): Promise<StagedFile> {
    const temporaryFolder = path.join(this.root, ".tmp");
    await mkdir(temporaryFolder, { recursive: true });
    const temporaryPath = path.join(temporaryFolder, `${randomUUID()}.part`);
    const hash = createHash("sha256");
    let sizeBytes = 0;
    try {
      const handle = await open(temporaryPath, "wx", 0o640);
      try {
        for await (const chunk of chunksOf(source)) {
          sizeBytes += chunk.byteLength;
          if (sizeBytes > maxBytes) throw new FileTooLargeError(maxBytes);
          hash.update(chunk);
          await writeFully(handle, chunk);
        }
        // On disk before it is renamed into place: after a crash, a stored hash has all its bytes.
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await rm(temporaryPath, { force: true });
      throw error;
    }

    const sha256 = hash.digest("hex");
    const target = this.pathOf(sha256);
    let settled = false;
    return {
      sha256,
      sizeBytes,
      commit: async () => {
        if (settled) return;
        settled = true;
        if (await this.has(sha256)) {
          await rm(temporaryPath, { force: true });
          return;
        }
        try {
          await mkdir(path.dirname(target), { recursive: true });
          // Two uploads of the same bytes may both get here: the second rename replaces the
          // file with identical content, atomically, so either order is right.
          await rename(temporaryPath, target);
        } catch (error) {
          await rm(temporaryPath, { force: true });
          throw error;
        }
        await syncFolder(path.dirname(target));
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await rm(temporaryPath, { force: true });
      },
    };
  }

  async get(sha256: string): Promise<Readable> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(sha256), "r");
    } catch (error) {
      if (isMissing(error)) throw new StoredFileNotFoundError(sha256);
      throw error;
    }
    return handle.createReadStream();
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
}

/**
 * The application's storage: `${DATA_DIR}/files`. With an in-memory database (`memory://`, in
 * tests and throw-away runs) the files go to a temporary folder removed when the process exits.
 * Kept on globalThis for the same reason as the database connection: the Remix bundle and the
 * scripts hosting it are two module graphs in one process and must see the same files.
 */
const storageKey = Symbol.for("medicobus.fileStorage");

export function fileStorage(): FileStorage {
  const store = globalThis as typeof globalThis & { [storageKey]?: FileStorage };
  store[storageKey] ??= new DiskFileStorage(filesRoot(env.DATA_DIR));
  return store[storageKey];
}

function filesRoot(dataDir: string): string {
  if (!dataDir.startsWith("memory://")) return path.resolve(dataDir, "files");
  const folder = mkdtempSync(path.join(os.tmpdir(), "medicobus-files-"));
  process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

async function* chunksOf(source: FileSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  for await (const chunk of source) {
    // A Readable in string mode would hash differently from the bytes it stands for.
    if (!(chunk instanceof Uint8Array)) throw new TypeError("File sources must yield bytes, not strings");
    yield chunk;
  }
}

async function writeFully(handle: FileHandle, chunk: Uint8Array) {
  let written = 0;
  while (written < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, written, chunk.byteLength - written);
    written += bytesWritten;
  }
}

/** Makes the rename itself durable. Windows cannot open a folder: there the rename stays as is. */
async function syncFolder(folder: string) {
  let handle: FileHandle;
  try {
    handle = await open(folder, "r");
  } catch (error) {
    if (process.platform === "win32") return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
