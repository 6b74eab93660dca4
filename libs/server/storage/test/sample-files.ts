// Small files of each kind for the storage tests, built from their format specifications.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';

const ascii = (text: string) => Buffer.from(text, 'latin1');

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([ascii(type), data]);
  return Buffer.concat([u32(data.length), body, u32(crc32(body))]);
}

/** A valid 1×1 RGB PNG (signature, IHDR, IDAT, IEND with real CRCs). */
export function png(): Buffer {
  const ihdr = Buffer.concat([u32(1), u32(1), Buffer.from([8, 2, 0, 0, 0])]);
  const idat = deflateSync(Buffer.from([0, 0x2a, 0x6b, 0x3c]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JFIF header (SOI + APP0) followed by filler and EOI: what a camera JPEG starts with. */
export function jpeg(size = 2048): Buffer {
  const app0 = Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x10,
    ...ascii('JFIF'),
    0,
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
  ]);
  return Buffer.concat([app0, randomBytes(Math.max(0, size - app0.length - 2)), Buffer.from([0xff, 0xd9])]);
}

/** A valid 1×1 GIF89a (43 bytes): shorter than the sniffer's window. */
export function gif(): Buffer {
  return Buffer.concat([
    ascii('GIF89a'),
    Buffer.from([1, 0, 1, 0, 0x80, 0, 0]),
    Buffer.from([0, 0, 0, 255, 255, 255]),
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]),
    Buffer.from([2, 2, 0x44, 0x01, 0]),
    Buffer.from([0x3b]),
  ]);
}

/** A RIFF/WEBP container whose first chunk is VP8L (lossless). */
export function webp(): Buffer {
  const vp8l = Buffer.concat([
    ascii('VP8L'),
    Buffer.from([5, 0, 0, 0]),
    Buffer.from([0x2f, 0, 0, 0, 0]),
    Buffer.from([0]),
  ]);
  const body = Buffer.concat([ascii('WEBP'), vp8l]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return Buffer.concat([ascii('RIFF'), size, body]);
}

/** An ISO BMFF file starting with a ftyp box of the given brands, then a little of a `meta` box. */
export function isoBmff(major: string, compatible: string[]): Buffer {
  const ftyp = Buffer.concat([ascii('ftyp'), ascii(major), u32(0), ...compatible.map(ascii)]);
  const meta = Buffer.concat([u32(12), ascii('meta'), u32(0)]);
  return Buffer.concat([u32(ftyp.length + 4), ftyp, meta, randomBytes(200)]);
}

/** What an iPhone writes: major brand heic, compatible mif1 and heic. */
export const heic = () => isoBmff('heic', ['mif1', 'heic']);
export const heif = () => isoBmff('mif1', ['mif1', 'miaf']);
export const avif = () => isoBmff('avif', ['avif', 'mif1', 'miaf']);

/** A minimal one-page PDF. */
export function pdf(): Buffer {
  return ascii(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
}

export const text = () => ascii('Hi Sam, the receipt for the printer is on its way. Thanks!\n'.repeat(4));
export const svg = () =>
  ascii('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>');
export const html = () =>
  ascii('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');
export const zip = () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(100)]);
export const exe = () => Buffer.concat([ascii('MZ'), randomBytes(200)]);

/** `buffer` as a stream delivered in chunks of `chunkSize`, like a network upload. */
export function streamOf(buffer: Buffer, chunkSize = 16 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += chunkSize) chunks.push(buffer.subarray(at, at + chunkSize));
  return Readable.from(chunks);
}

/**
 * An endless-looking upload: `total` bytes made on demand in `chunkSize` chunks (PNG-signed, so it
 * passes the type check), counting how many bytes were pulled from it.
 */
export function generatedUpload(
  total: number,
  chunkSize = 64 * 1024,
): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const signature = png().subarray(0, 8);
  const stream = new Readable({
    read() {
      if (pulled >= total) {
        this.push(null);
        return;
      }
      const size = Math.min(chunkSize, total - pulled);
      const chunk = Buffer.alloc(size, 0x61);
      if (pulled === 0) signature.copy(chunk);
      pulled += size;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}
