import type { SniffedType } from './file-sniffing';

/** Longest name kept, in characters (code points); file systems allow 255 bytes, mail clients and zips fewer. */
export const MAX_FILENAME_LENGTH = 150;
const FALLBACK_BASE = 'attachment';

// Characters removed outright: C0/C1 controls and DEL; zero-width and bidirectional controls (a
// right-to-left override makes "receipt\u202Efdp.exe" display as "receiptexe.pdf"); byte order marks.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Reserved on Windows (and "/" and "\" are path separators everywhere): replaced, so the name stays readable.
const RESERVED = /[<>:"|?*]/g;
// A lone UTF-16 surrogate cannot be encoded as UTF-8 (encodeURIComponent throws on it).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

function splitExtension(name: string): [base: string, extension: string] {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [name, ''];
}

function truncate(text: string, length: number): string {
  const chars = Array.from(text);
  return chars.length <= length ? text : chars.slice(0, length).join('');
}

/**
 * A name that is safe to show and to offer as a download name: the last path segment only,
 * Unicode NFC, no control or invisible characters, no Windows-reserved characters or device names,
 * no leading dots (hidden files) or trailing dots and spaces, at most {@link MAX_FILENAME_LENGTH}
 * characters (the extension is kept when shortening). Never empty: "attachment" stands in.
 */
export function sanitizeFilename(declared: string | undefined | null): string {
  let name = String(declared ?? '')
    .replace(LONE_SURROGATE, '\ufffd')
    .normalize('NFC');
  // Some browsers and tools send a full client-side path.
  name = name.split(/[\\/]/).pop() ?? '';
  name = name
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (Array.from(name).length > MAX_FILENAME_LENGTH) {
    const [base, extension] = splitExtension(name);
    const keep = extension && Array.from(extension).length <= 16 ? extension : '';
    name = keep
      ? `${truncate(base, MAX_FILENAME_LENGTH - Array.from(keep).length - 1)}.${keep}`
      : truncate(name, MAX_FILENAME_LENGTH);
    name = name.replace(/[\s.]+$/g, '');
  }
  return name || FALLBACK_BASE;
}

/**
 * The sanitised name with an extension that matches the sniffed type: "receipt.pdf" holding PNG
 * bytes becomes "receipt.png" (it would not open as a PDF), "scan" becomes "scan.jpg", and a name
 * whose extension already fits is kept as it is.
 */
export function downloadFilename(declared: string | undefined | null, type: SniffedType): string {
  const name = sanitizeFilename(declared);
  const [base, extension] = splitExtension(name);
  const ext = extension.toLowerCase();
  if (type.extensions.includes(ext)) return name;
  const known = ['jpg', 'jpeg', 'jpe', 'jfif', 'png', 'gif', 'webp', 'heic', 'heif', 'hif', 'pdf'];
  const stem = known.includes(ext) ? base : name;
  const suffix = `.${type.extensions[0]}`;
  return `${truncate(stem, MAX_FILENAME_LENGTH - suffix.length)}${suffix}`;
}
