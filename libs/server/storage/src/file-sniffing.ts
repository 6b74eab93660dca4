/**
 * Content sniffing for attachments: the type of a file is decided by its first bytes (its "magic
 * bytes"), never by its name or the type the client declared. Only the types below are accepted.
 *
 * A small table of our own rather than the `file-type` package: file-type (v17 and later) and its
 * dependencies are ESM-only, which this repo's Jest transform does not compile (jest.config.ts
 * lists the ESM packages it transforms), and the six formats we accept have short, stable
 * signatures defined by their specifications.
 */

export type AllowedMediaType =
  'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp' | 'image/heic' | 'image/heif' | 'application/pdf';

export interface SniffedType {
  mime: AllowedMediaType;
  /** Extensions that name this type; the first is used when a download name needs one. */
  extensions: readonly string[];
}

const TYPES: Record<AllowedMediaType, SniffedType> = {
  'image/jpeg': { mime: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  'image/png': { mime: 'image/png', extensions: ['png'] },
  'image/gif': { mime: 'image/gif', extensions: ['gif'] },
  'image/webp': { mime: 'image/webp', extensions: ['webp'] },
  'image/heic': { mime: 'image/heic', extensions: ['heic', 'heif', 'hif'] },
  'image/heif': { mime: 'image/heif', extensions: ['heif', 'heic', 'hif'] },
  'application/pdf': { mime: 'application/pdf', extensions: ['pdf'] },
};

/** Every media type an upload may have. */
export const ALLOWED_MEDIA_TYPES = Object.keys(TYPES) as AllowedMediaType[];

/** How many leading bytes the sniffer wants; fewer is fine when the file is shorter. */
export const SNIFF_BYTES = 128;

function startsWith(head: Uint8Array, offset: number, signature: readonly number[] | string): boolean {
  const bytes = typeof signature === 'string' ? Array.from(signature, (c) => c.charCodeAt(0)) : signature;
  if (head.length < offset + bytes.length) return false;
  return bytes.every((b, i) => head[offset + i] === b);
}

function ascii(head: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...head.subarray(start, end));
}

// HEIF is an ISO base media file: a `ftyp` box naming a major brand and compatible brands.
// Still-image brands only: sequences (hevc, msf1) are video-like, and AVIF shares `mif1` but is another codec.
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis']);
const HEIF_BRANDS = new Set(['mif1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function sniffHeif(head: Uint8Array): SniffedType | undefined {
  if (head.length < 16 || !startsWith(head, 4, 'ftyp')) return undefined;
  const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
  // A ftyp box holds size, type, major brand and minor version (16 bytes) and then whole brands.
  if (boxSize < 16 || boxSize % 4 !== 0) return undefined;
  const major = ascii(head, 8, 12);
  const compatible = new Set<string>();
  for (let at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4)
    compatible.add(ascii(head, at, at + 4));
  if (HEIC_BRANDS.has(major)) return TYPES['image/heic'];
  if (HEIF_BRANDS.has(major)) {
    if ([...AVIF_BRANDS].some((b) => compatible.has(b))) return undefined;
    return [...HEIC_BRANDS].some((b) => compatible.has(b)) ? TYPES['image/heic'] : TYPES['image/heif'];
  }
  return undefined;
}

/**
 * The allowed type whose signature starts `head`, or undefined. Give it the first
 * {@link SNIFF_BYTES} bytes of the file (or the whole file when shorter).
 */
export function sniffFileType(head: Uint8Array): SniffedType | undefined {
  // JPEG: SOI marker FF D8, then the first marker of the next segment (FF).
  if (startsWith(head, 0, [0xff, 0xd8, 0xff])) return TYPES['image/jpeg'];
  // PNG: the fixed 8-byte signature (its CR LF / LF bytes also catch text-mode mangling).
  if (startsWith(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return TYPES['image/png'];
  if (startsWith(head, 0, 'GIF87a') || startsWith(head, 0, 'GIF89a')) return TYPES['image/gif'];
  // WebP: a RIFF container of form type WEBP whose first chunk is VP8, VP8L or VP8X.
  if (startsWith(head, 0, 'RIFF') && startsWith(head, 8, 'WEBP') && startsWith(head, 12, 'VP8'))
    return TYPES['image/webp'];
  // PDF: "%PDF-" at the very start. Readers tolerate junk before it; we do not, so a file that is
  // something else with a PDF tacked on later is refused.
  if (startsWith(head, 0, '%PDF-')) return TYPES['application/pdf'];
  return sniffHeif(head);
}
