import { type UploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { DomainError } from "~/utils/errors";
import { sanitizeFileName } from "./filename";
import { type ByteWindow, mayBeAcceptedType, SNIFF_HEAD_BYTES, SNIFF_TAIL_BYTES, sniffByteWindow } from "./sniff";
import { type FileStorage, FileTooLargeError, fileStorage, type StagedFile } from "./storage.server";
import { MAX_FILE_BYTES, REJECTED_TYPE_MESSAGE, TOO_LARGE_MESSAGE } from "./types";

/** A pièce received and stored: what a row of `application_pieces` needs, and the form's other fields. */
export interface Upload {
  sha256: string;
  sizeBytes: number;
  mimeType: string;
  /** The sender's file name, sanitized, with the extension of the type found in the bytes. */
  fileName: string;
  typeLabel: string;
  /** The form's text fields (the file itself is not in it). */
  fields: FormData;
}

export interface ReadUploadOptions {
  /** The name of the file input; its errors are reported against this field. */
  fieldName: string;
  storage?: FileStorage;
}

/** Room for the multipart framing and the form's text fields around the file. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;
const MAX_REQUEST_BYTES = MAX_FILE_BYTES + FORM_OVERHEAD_BYTES;
const MAX_TEXT_BYTES = 64 * 1024;
const MAX_PARTS = 50;

/**
 * Reads a `multipart/form-data` request carrying one file in `fieldName`: streams the file into
 * storage (never whole in memory), refuses it past 20 MB, decides its type from its bytes, and
 * only then makes it readable. Every refusal is a DomainError with a French message for the
 * field, and leaves nothing in storage.
 */
export async function readUpload(request: Request, options: ReadUploadOptions): Promise<Upload> {
  const { fieldName, storage = fileStorage() } = options;
  // Browsers send Content-Length with a form: a 200 MB upload is refused before a byte is read.
  // The size is still counted on the stream, which is what bounds a chunked or lying request.
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_REQUEST_BYTES) throw tooLarge(fieldName);
  if (!isMultipart(request)) throw noFile(fieldName);

  const received: { file?: ReceivedFile; handlerFailure?: unknown } = {};
  let textBytes = 0;
  let parts = 0;

  const handler: UploadHandler = async (part) => {
    try {
      parts += 1;
      if (parts > MAX_PARTS) throw formTooLarge();
      if (part.filename === undefined) {
        const text = await readText(part.data, MAX_TEXT_BYTES - textBytes);
        textBytes += text.byteLength;
        return new TextDecoder().decode(text);
      }
      if (part.name !== fieldName || received.file) {
        throw fieldError("upload_unexpected_file", 400, "Déposez un seul fichier à la fois.", fieldName);
      }
      const ends = new ByteEnds(() => {
        throw rejectedType(fieldName);
      });
      const staged = await storage.stage(ends.observe(readPart(part.data)), { maxBytes: MAX_FILE_BYTES });
      received.file = { staged, window: ends.window(), clientName: part.filename };
      return null;
    } catch (error) {
      received.handlerFailure = error;
      throw error;
    }
  };

  let fields: FormData;
  try {
    fields = await unstable_parseMultipartFormData(withBodyLimit(request, MAX_REQUEST_BYTES), handler);
  } catch (error) {
    await received.file?.staged.discard();
    throw classify(error, received.handlerFailure, fieldName);
  }

  const file = received.file;
  if (!file) throw noFile(fieldName);
  try {
    if (file.staged.sizeBytes === 0) {
      // An input left empty still sends a part, with no name and no bytes.
      throw file.clientName === "" ? noFile(fieldName) : fieldError("upload_empty", 400, "Le fichier est vide.", fieldName);
    }
    const type = sniffByteWindow(file.window);
    if (!type) throw rejectedType(fieldName);
    await file.staged.commit();
    return {
      sha256: file.staged.sha256,
      sizeBytes: file.staged.sizeBytes,
      mimeType: type.mimeType,
      fileName: sanitizeFileName(decodeFormEscapes(file.clientName), type),
      typeLabel: type.label,
      fields,
    };
  } catch (error) {
    await file.staged.discard();
    throw error;
  }
}

interface ReceivedFile {
  staged: StagedFile;
  window: ByteWindow;
  clientName: string;
}

/**
 * An error raised by the parser or by reading the body is the client's (a malformed or cut
 * request: 400); one raised by our own handler while writing to disk is ours (a 500, as is).
 */
function classify(error: unknown, handlerFailure: unknown, fieldName: string): unknown {
  if (error instanceof DomainError) return error;
  if (error instanceof FileTooLargeError || error instanceof RequestTooLargeError) return tooLarge(fieldName);
  if (isFileNameTheParserCannotRead(error)) {
    return fieldError("upload_file_name_unreadable", 400, FILE_NAME_UNREADABLE_MESSAGE, fieldName);
  }
  if (error instanceof UnreadableBodyError || error !== handlerFailure) {
    return new DomainError("upload_unreadable", 400, "Le formulaire envoyé est illisible : réessayez.");
  }
  return error;
}

const FILE_NAME_UNREADABLE_MESSAGE =
  "Le nom du fichier contient « ; » ou « = », que le portail ne sait pas lire : renommez le fichier, puis déposez-le de nouveau.";

/**
 * Remix's multipart parser splits the Content-Disposition header on « ; » and « = » without
 * regard to quotes, so it fails on « Devis; v2.pdf », a name the browser sent correctly. The
 * user can only fix it by renaming the file, so say that; the test on the parser's message
 * falls back to the generic 400 if a new version words it differently (or fixes it).
 */
function isFileNameTheParserCannotRead(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("malformed content-disposition header") && error.message.includes("filename=");
}

/** Same test as Remix's parser, made before it so that a form sent without a file is a 400. */
function isMultipart(request: Request): boolean {
  const [type, boundary] = (request.headers.get("Content-Type") ?? "").split(/\s*;\s*boundary=/);
  return request.body !== null && type === "multipart/form-data" && Boolean(boundary);
}

class RequestTooLargeError extends Error {
  constructor() {
    super("Request body too large");
    this.name = "RequestTooLargeError";
  }
}

class UnreadableBodyError extends Error {
  constructor(cause: unknown) {
    super("Request body could not be read", { cause });
    this.name = "UnreadableBodyError";
  }
}

/** Counts the whole body as it streams: headers and text fields cannot grow without bound either. */
function withBodyLimit(request: Request, maxBytes: number): Request {
  let seen = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) throw new RequestTooLargeError();
      controller.enqueue(chunk);
    },
  });
  const body = (request.body as ReadableStream<Uint8Array>).pipeThrough(limit);
  // `duplex` is required by Node's fetch for a streamed body but missing from the DOM typings.
  const init = { method: request.method, headers: request.headers, body, duplex: "half" };
  return new Request(request.url, init as RequestInit);
}

/** A part's bytes, with a failure to read them marked as the client's. */
async function* readPart(data: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of data) yield chunk;
  } catch (error) {
    if (error instanceof RequestTooLargeError) throw error;
    throw new UnreadableBodyError(error);
  }
}

async function readText(data: AsyncIterable<Uint8Array>, budget: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of readPart(data)) {
    length += chunk.byteLength;
    if (length > budget) throw formTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Keeps the first and the last bytes of a stream for sniffing, and stops it as soon as its
 * first bytes rule out every accepted type (an HTML page or an executable is not read to the end).
 */
class ByteEnds {
  private readonly head: Uint8Array[] = [];
  private headLength = 0;
  private readonly tail: Uint8Array[] = [];
  private tailLength = 0;
  private size = 0;

  constructor(private readonly onRuledOut: () => never) {}

  async *observe(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const chunk of source) {
      this.size += chunk.byteLength;
      if (this.headLength < SNIFF_HEAD_BYTES) {
        const kept = chunk.slice(0, SNIFF_HEAD_BYTES - this.headLength);
        this.head.push(kept);
        this.headLength += kept.byteLength;
        if (!mayBeAcceptedType(Buffer.concat(this.head))) this.onRuledOut();
      }
      this.tail.push(chunk.slice());
      this.tailLength += chunk.byteLength;
      while (this.tailLength - this.tail[0].byteLength >= SNIFF_TAIL_BYTES) {
        this.tailLength -= this.tail[0].byteLength;
        this.tail.shift();
      }
      yield chunk;
    }
  }

  window(): ByteWindow {
    const tail = Buffer.concat(this.tail);
    return { size: this.size, head: Buffer.concat(this.head), tail: tail.subarray(Math.max(0, tail.byteLength - SNIFF_TAIL_BYTES)) };
  }
}

/**
 * Browsers write `"`, CR and LF in a file name as %22, %0D and %0A (HTML's multipart/form-data
 * encoding); decoded back, the sanitizer drops or replaces them like any other such character.
 */
function decodeFormEscapes(name: string): string {
  return name.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
}

function fieldError(code: string, status: 400 | 413 | 422, message: string, fieldName: string) {
  return new DomainError(code, status, message, { [fieldName]: [message] });
}

function tooLarge(fieldName: string) {
  return fieldError("upload_too_large", 413, TOO_LARGE_MESSAGE, fieldName);
}

function rejectedType(fieldName: string) {
  return fieldError("upload_type_rejected", 422, REJECTED_TYPE_MESSAGE, fieldName);
}

function noFile(fieldName: string) {
  return fieldError("upload_missing", 400, "Aucun fichier n'a été reçu.", fieldName);
}

function formTooLarge() {
  return new DomainError("upload_form_too_large", 413, "Le formulaire envoyé est trop volumineux.");
}
