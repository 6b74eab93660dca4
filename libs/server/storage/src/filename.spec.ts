import { sniffFileType, type SniffedType } from './file-sniffing';
import { downloadFilename, MAX_FILENAME_LENGTH, sanitizeFilename } from './filename';
import * as sample from '../test/sample-files';

const PNG = sniffFileType(sample.png()) as SniffedType;
const JPEG = sniffFileType(sample.jpeg()) as SniffedType;
const PDF = sniffFileType(sample.pdf()) as SniffedType;

describe('sanitizeFilename', () => {
  it('keeps ordinary names, including non-Latin ones', () => {
    expect(sanitizeFilename('receipt 2024-03.pdf')).toBe('receipt 2024-03.pdf');
    expect(sanitizeFilename('Квитанция №5 (копия).jpg')).toBe('Квитанция №5 (копия).jpg');
    expect(sanitizeFilename('領収書.png')).toBe('領収書.png');
  });

  it('keeps only the last path segment', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('C:\\Users\\sam\\Desktop\\receipt.pdf')).toBe('receipt.pdf');
    expect(sanitizeFilename('/var/www/index.html')).toBe('index.html');
  });

  it('removes control characters, line breaks and invisible direction overrides', () => {
    expect(sanitizeFilename('a\r\nSet-Cookie: x=y.png')).toBe('aSet-Cookie_ x=y.png');
    expect(sanitizeFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFilename('zero\u200Bwidth\u0000.pdf')).toBe('zerowidth.pdf');
  });

  it('replaces characters Windows reserves and defuses device names', () => {
    expect(sanitizeFilename('what?<is>this*|"x":y.pdf')).toBe('what__is_this___x__y.pdf');
    expect(sanitizeFilename('CON.pdf')).toBe('_CON.pdf');
    expect(sanitizeFilename('lpt1')).toBe('_lpt1');
  });

  it('drops leading dots (hidden files) and trailing dots and spaces', () => {
    expect(sanitizeFilename('.bashrc')).toBe('bashrc');
    expect(sanitizeFilename('  receipt.pdf. . ')).toBe('receipt.pdf');
    expect(sanitizeFilename('..')).toBe('attachment');
  });

  it('falls back to "attachment" when nothing is left', () => {
    expect(sanitizeFilename(undefined)).toBe('attachment');
    expect(sanitizeFilename('')).toBe('attachment');
    expect(sanitizeFilename('\u202E\u0000')).toBe('attachment');
  });

  it('shortens long names and keeps their extension', () => {
    const name = sanitizeFilename(`${'ä'.repeat(400)}.pdf`);
    expect(Array.from(name)).toHaveLength(MAX_FILENAME_LENGTH);
    expect(name.endsWith('ä.pdf')).toBe(true);
  });

  it('replaces lone surrogates, which cannot be encoded for a header', () => {
    const name = sanitizeFilename('bad\ud800name.png');
    expect(name).toBe('bad\ufffdname.png');
    expect(() => encodeURIComponent(name)).not.toThrow();
  });

  it('normalises Unicode to NFC', () => {
    expect(sanitizeFilename('Cafe\u0301.jpg')).toBe('Caf\u00e9.jpg');
  });
});

describe('downloadFilename: the extension follows the content', () => {
  it('renames a PNG sent as receipt.pdf to receipt.png', () => {
    expect(downloadFilename('receipt.pdf', PNG)).toBe('receipt.png');
  });

  it('keeps an extension that already fits, in any case', () => {
    expect(downloadFilename('IMG_0042.JPG', JPEG)).toBe('IMG_0042.JPG');
    expect(downloadFilename('photo.jpeg', JPEG)).toBe('photo.jpeg');
  });

  it('adds an extension when there is none or an unknown one', () => {
    expect(downloadFilename('scan', JPEG)).toBe('scan.jpg');
    expect(downloadFilename('notes.final', PDF)).toBe('notes.final.pdf');
    expect(downloadFilename(undefined, PNG)).toBe('attachment.png');
  });
});
