import { type AcceptedFileType, type AcceptedFileTypeCode, acceptedFileType } from "./types";

/**
 * Which accepted type a file is, from its bytes: a name or a browser's Content-Type says what
 * the sender claims, the bytes say what a reviewer's software will open.
 *
 * Every check also looks at the end of the file (the PDF trailer, PNG's IEND, JPEG's EOI, the
 * ZIP central directory), so that a truncated upload is refused rather than stored.
 *
 * An upload is streamed to storage, not held in memory: the caller keeps its first and last
 * bytes and passes them as a window. The ZIP central directory of an office document is a few
 * kilobytes; one larger than the tail window means an archive we refuse anyway.
 */
export const SNIFF_HEAD_BYTES = 4 * 1024;
export const SNIFF_TAIL_BYTES = 1024 * 1024;

/** The start and the end of a file of `size` bytes (they may overlap, or both be the whole file). */
export interface ByteWindow {
  size: number;
  head: Uint8Array;
  tail: Uint8Array;
}

export function sniffFileType(bytes: Uint8Array): AcceptedFileType | null {
  return sniffByteWindow({ size: bytes.length, head: bytes, tail: bytes });
}

export function sniffByteWindow(window: ByteWindow): AcceptedFileType | null {
  if (window.head.length > window.size || window.tail.length > window.size) return null;
  const view = new WindowView(window);
  const code = sniffCode(view);
  return code ? acceptedFileType(code) : null;
}

const PDF_MAGIC = ascii("%PDF-");
const PNG_MAGIC = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const JPEG_MAGIC = Uint8Array.of(0xff, 0xd8, 0xff);
const ZIP_LOCAL_MAGIC = Uint8Array.of(0x50, 0x4b, 0x03, 0x04);
const SIGNATURES = [PDF_MAGIC, PNG_MAGIC, JPEG_MAGIC, ZIP_LOCAL_MAGIC];

/**
 * False as soon as the first bytes rule out every accepted type, so that an upload can be
 * stopped without reading the rest of it. True does not mean accepted: only that it may be.
 */
export function mayBeAcceptedType(head: Uint8Array): boolean {
  return SIGNATURES.some((signature) => {
    const length = Math.min(head.length, signature.length);
    return startsWith(head.subarray(0, length), signature.subarray(0, length));
  });
}

/** How far from the end a trailer may sit: PDF readers look at the last 1024 bytes too. */
const TRAILER_SEARCH_BYTES = 1024;

function sniffCode(view: WindowView): AcceptedFileTypeCode | null {
  if (view.startsWith(PDF_MAGIC)) {
    const version = view.bytes(PDF_MAGIC.length, 1);
    return version && isDigit(version[0]) && view.endContains(ascii("%%EOF"), TRAILER_SEARCH_BYTES) ? "pdf" : null;
  }
  if (view.startsWith(PNG_MAGIC)) {
    // The first chunk must be IHDR (length 13), the last IEND with its fixed CRC.
    const ihdr = Uint8Array.of(0, 0, 0, 13, ...ascii("IHDR"));
    const iend = Uint8Array.of(...ascii("IEND"), 0xae, 0x42, 0x60, 0x82);
    return view.matchesAt(PNG_MAGIC.length, ihdr) && view.endContains(iend, TRAILER_SEARCH_BYTES) ? "png" : null;
  }
  if (view.startsWith(JPEG_MAGIC)) {
    return view.endContains(Uint8Array.of(0xff, 0xd9), TRAILER_SEARCH_BYTES) ? "jpeg" : null;
  }
  if (view.startsWith(ZIP_LOCAL_MAGIC)) return sniffZip(view);
  return null;
}

// --- ZIP (APPNOTE.TXT, sections 4.3.7, 4.3.12 and 4.3.16) -------------------------------------

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_ENTRY_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const EOCD_BYTES = 22;
const CENTRAL_ENTRY_BYTES = 46;
const LOCAL_HEADER_BYTES = 30;
const MAX_ZIP_COMMENT_BYTES = 0xffff;

const ODF_MIME_TYPES = new Map<string, AcceptedFileTypeCode>([
  ["application/vnd.oasis.opendocument.text", "odt"],
  ["application/vnd.oasis.opendocument.spreadsheet", "ods"],
]);

interface CentralEntry {
  name: string;
  localHeaderOffset: number;
}

function sniffZip(view: WindowView): AcceptedFileTypeCode | null {
  const entries = readCentralDirectory(view);
  if (!entries) return null;
  const names = new Set(entries.map((entry) => entry.name));

  const odf = readOdfMimeType(view);
  if (odf) {
    // The central directory must agree with the local header read at offset 0.
    const listed = entries.some((entry) => entry.name === "mimetype" && entry.localHeaderOffset === 0);
    return listed && names.has("content.xml") ? odf : null;
  }

  if (!names.has("[Content_Types].xml")) return null;
  const isWord = entries.some((entry) => entry.name.startsWith("word/"));
  const isExcel = entries.some((entry) => entry.name.startsWith("xl/"));
  if (isWord === isExcel) return null;
  return isWord ? "docx" : "xlsx";
}

/**
 * ODF requires the first entry to be `mimetype`, stored (method 0) without an extra field, so
 * its content sits at a fixed offset; the extra-field length is honoured anyway, bounds-checked.
 */
function readOdfMimeType(view: WindowView): AcceptedFileTypeCode | null {
  if (view.u32(0) !== LOCAL_HEADER_SIGNATURE) return null;
  const method = view.u16(8);
  const compressedSize = view.u32(18);
  const uncompressedSize = view.u32(22);
  const nameLength = view.u16(26);
  const extraLength = view.u16(28);
  if (method !== 0 || nameLength !== 8 || extraLength === null || compressedSize === null) return null;
  if (compressedSize !== uncompressedSize || compressedSize > 100) return null;
  const name = view.bytes(LOCAL_HEADER_BYTES, nameLength);
  if (!name || decode(name) !== "mimetype") return null;
  const content = view.bytes(LOCAL_HEADER_BYTES + nameLength + extraLength, compressedSize);
  return content ? (ODF_MIME_TYPES.get(decode(content)) ?? null) : null;
}

/** The entries listed in the central directory, or null when the archive is not a sound one. */
function readCentralDirectory(view: WindowView): CentralEntry[] | null {
  const eocd = findEndOfCentralDirectory(view);
  if (eocd === null) return null;
  const diskNumber = view.u16(eocd + 4);
  const directoryDisk = view.u16(eocd + 6);
  const entriesOnDisk = view.u16(eocd + 8);
  const totalEntries = view.u16(eocd + 10);
  const directorySize = view.u32(eocd + 12);
  const directoryOffset = view.u32(eocd + 16);
  if (diskNumber !== 0 || directoryDisk !== 0 || totalEntries === null || entriesOnDisk !== totalEntries) return null;
  if (directorySize === null || directoryOffset === null) return null;
  // 0xFFFF / 0xFFFFFFFF mean ZIP64: never needed for a 20 MB office document, so not read.
  if (totalEntries === 0 || totalEntries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) return null;
  if (directoryOffset + directorySize > eocd) return null;
  const directory = view.bytes(directoryOffset, directorySize);
  if (!directory) return null;

  const entries: CentralEntry[] = [];
  const data = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  let position = 0;
  for (let index = 0; index < totalEntries; index++) {
    if (position + CENTRAL_ENTRY_BYTES > directory.length) return null;
    if (data.getUint32(position, true) !== CENTRAL_ENTRY_SIGNATURE) return null;
    const nameLength = data.getUint16(position + 28, true);
    const extraLength = data.getUint16(position + 30, true);
    const commentLength = data.getUint16(position + 32, true);
    const localHeaderOffset = data.getUint32(position + 42, true);
    const nameStart = position + CENTRAL_ENTRY_BYTES;
    const next = nameStart + nameLength + extraLength + commentLength;
    if (next > directory.length || localHeaderOffset >= directoryOffset) return null;
    entries.push({ name: decode(directory.subarray(nameStart, nameStart + nameLength)), localHeaderOffset });
    position = next;
  }
  return entries;
}

/**
 * The end-of-central-directory record is the last thing in the file, followed only by its
 * comment: searched backwards, and accepted only where its comment length reaches the end
 * exactly (a signature inside the comment, or a cut file, does not).
 */
function findEndOfCentralDirectory(view: WindowView): number | null {
  const lowest = Math.max(0, view.size - EOCD_BYTES - MAX_ZIP_COMMENT_BYTES);
  for (let offset = view.size - EOCD_BYTES; offset >= lowest; offset--) {
    if (view.u32(offset) !== EOCD_SIGNATURE) continue;
    if (offset + EOCD_BYTES + (view.u16(offset + 20) ?? -1) === view.size) return offset;
  }
  return null;
}

// --- Bounds-checked reads over a head/tail window --------------------------------------------

class WindowView {
  readonly size: number;
  private readonly head: Uint8Array;
  private readonly tail: Uint8Array;
  private readonly tailStart: number;

  constructor(window: ByteWindow) {
    this.size = window.size;
    this.head = window.head;
    this.tail = window.tail;
    this.tailStart = window.size - window.tail.length;
  }

  /** `length` bytes at `offset`, or null when they are outside the file or the window. */
  bytes(offset: number, length: number): Uint8Array | null {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0) return null;
    const end = offset + length;
    if (end > this.size) return null;
    if (end <= this.head.length) return this.head.subarray(offset, end);
    if (offset >= this.tailStart) return this.tail.subarray(offset - this.tailStart, end - this.tailStart);
    return null;
  }

  u16(offset: number): number | null {
    const bytes = this.bytes(offset, 2);
    return bytes ? bytes[0] | (bytes[1] << 8) : null;
  }

  u32(offset: number): number | null {
    const bytes = this.bytes(offset, 4);
    return bytes ? (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0 : null;
  }

  matchesAt(offset: number, expected: Uint8Array): boolean {
    const bytes = this.bytes(offset, expected.length);
    return bytes !== null && startsWith(bytes, expected);
  }

  startsWith(expected: Uint8Array): boolean {
    return this.matchesAt(0, expected);
  }

  /** Whether `needle` occurs within the last `distance` bytes of the file. */
  endContains(needle: Uint8Array, distance: number): boolean {
    const length = Math.min(distance, this.size);
    const end = this.bytes(this.size - length, length);
    return end !== null && indexOf(end, needle) !== -1;
  }
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((byte, index) => bytes[index] === byte);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let index = 0; index < needle.length; index++) {
      if (haystack[start + index] !== needle[index]) continue outer;
    }
    return start;
  }
  return -1;
}

function isDigit(byte: number) {
  return byte >= 0x30 && byte <= 0x39;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

const utf8 = new TextDecoder("utf-8");
function decode(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
