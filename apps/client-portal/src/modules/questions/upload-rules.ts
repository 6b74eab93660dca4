/*
 * Receipts attached to an answer (Q7): what may be sent, and what to say when a file is refused.
 * The server has the last word (it judges a file by its bytes, not its name); checking here first
 * saves a person on a phone from uploading 12 MB only to be told no.
 */

/** The largest file the API accepts (UPLOAD_MAX_BYTES, 10 MB by default). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Files waiting to be sent with one answer, at most (the API refuses the 11th: TOO_MANY_ATTACHMENTS). */
export const MAX_PENDING_UPLOADS = 10;

/** The file input's `accept`: a phone offers its camera, its photos and its files. */
export const RECEIPT_ACCEPT = 'image/*,application/pdf';

const ALLOWED_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/heic',
  'image/heif',
  'image/webp',
  'image/gif',
  'application/pdf',
]);

/** Some phones hand over HEIC photos (and some systems any file) without a type: judge by the name. */
const ALLOWED_EXTENSIONS = /\.(jpe?g|png|heic|heif|webp|gif|pdf)$/i;

/** "What to send": said next to the button and in every refusal about the type. */
export const ALLOWED_WORDS = 'a photo (JPEG, PNG, HEIC, WebP or GIF) or a PDF';

/** "950 bytes", "820 KB", "1.2 MB": sizes as people read them. */
export function fileSizeWords(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.max(1, Math.round(kb))} KB`;
  const mb = kb / 1024;
  return `${mb < 10 ? Math.round(mb * 10) / 10 : Math.round(mb)} MB`;
}

export interface FileFacts {
  name: string;
  type: string;
  size: number;
}

/** Why a chosen file cannot be sent, in plain words; null when it may go. */
export function refusalOf(file: FileFacts, maxBytes = MAX_UPLOAD_BYTES): string | null {
  const name = displayName(file.name);
  const typeKnown = file.type !== '' && file.type !== 'application/octet-stream';
  const allowed = typeKnown ? ALLOWED_TYPES.has(file.type.toLowerCase()) : ALLOWED_EXTENSIONS.test(file.name);
  if (!allowed) return `${name} isn’t a photo or a PDF. Attach ${ALLOWED_WORDS}.`;
  if (file.size === 0) return `${name} is empty. Choose the file again, or take a new photo.`;
  if (file.size > maxBytes) {
    return `${name} is ${fileSizeWords(file.size)}: files can be up to ${fileSizeWords(maxBytes)}. Take a new photo, or send a smaller file.`;
  }
  return null;
}

/** An error answer of the upload endpoint (ApiError-shaped). */
export interface UploadFailure {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

/** What went wrong with an upload, said next to the file. */
export function uploadFailureWords(failure: UploadFailure, filename: string): string {
  const name = displayName(filename);
  switch (failure.code) {
    case 'FILE_TOO_LARGE': {
      const max = maxBytesOf(failure.details) ?? MAX_UPLOAD_BYTES;
      return `${name} is larger than ${fileSizeWords(max)}. Take a new photo, or send a smaller file.`;
    }
    case 'FILE_TYPE_NOT_ALLOWED':
      return `${name} isn’t a photo or a PDF we can open, whatever its name says. Attach ${ALLOWED_WORDS}.`;
    case 'FILE_EMPTY':
    case 'FILE_SIZE_MISMATCH':
      return `${name} arrived empty or cut off. Try again.`;
    case 'TOO_MANY_ATTACHMENTS':
      return `${name} wasn’t added: send your answer first, then attach more (up to ${MAX_PENDING_UPLOADS} at a time).`;
    case 'QUESTION_NOT_FOUND':
      return 'Your bookkeeper has closed this question, so the file wasn’t added.';
    case 'NETWORK_ERROR':
      return `${name} didn’t upload: check your connection and try again.`;
    default:
      if (failure.statusCode === 404 || failure.statusCode === 405) {
        // The API has no upload endpoint yet (or not on this server).
        return 'Attaching files isn’t available yet. Describe the receipt in your answer instead.';
      }
      if (failure.statusCode === 413) return `${name} is too large to send. Send a smaller file.`;
      if (failure.statusCode === 415) return `${name} isn’t a photo or a PDF. Attach ${ALLOWED_WORDS}.`;
      if (failure.statusCode >= 500 || failure.statusCode === 0)
        return `${name} didn’t upload. Try again in a moment.`;
      return failure.message || `${name} didn’t upload. Try again.`;
  }
}

function maxBytesOf(details: unknown): number | null {
  if (typeof details === 'object' && details !== null && 'maxBytes' in details) {
    const v = (details as { maxBytes: unknown }).maxBytes;
    return typeof v === 'number' && v > 0 ? v : null;
  }
  return null;
}

/** A file name as a sentence shows it: quoted, and shortened in the middle when very long. */
export function displayName(filename: string): string {
  const name = filename.trim() || 'This file';
  if (name === 'This file') return name;
  const short = name.length > 40 ? `${name.slice(0, 24)}…${name.slice(-12)}` : name;
  return `“${short}”`;
}

/** Shown as a thumbnail in the browser (HEIC is not, in most browsers). */
export function isPreviewableImage(contentType: string): boolean {
  return /^image\/(jpeg|png|webp|gif)$/i.test(contentType);
}
