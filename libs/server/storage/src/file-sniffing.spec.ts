import * as sample from '../test/sample-files';
import { ALLOWED_MEDIA_TYPES, sniffFileType } from './file-sniffing';

const mime = (bytes: Buffer) => sniffFileType(bytes)?.mime;

describe('sniffFileType: the content decides the type', () => {
  it('recognises each allowed format by its signature', () => {
    expect(mime(sample.jpeg())).toBe('image/jpeg');
    expect(mime(sample.png())).toBe('image/png');
    expect(mime(sample.gif())).toBe('image/gif');
    expect(mime(Buffer.from('GIF87a\x01\x00\x01\x00', 'latin1'))).toBe('image/gif');
    expect(mime(sample.webp())).toBe('image/webp');
    expect(mime(sample.heic())).toBe('image/heic');
    expect(mime(sample.heif())).toBe('image/heif');
    expect(mime(sample.pdf())).toBe('application/pdf');
  });

  it('reads HEIF brands from the ftyp box: heic inside a mif1 file is HEIC', () => {
    expect(mime(sample.isoBmff('mif1', ['mif1', 'heic']))).toBe('image/heic');
    expect(mime(sample.isoBmff('heix', ['mif1', 'heix']))).toBe('image/heic');
  });

  it('refuses AVIF, video and other ISO media files that share the container', () => {
    expect(mime(sample.avif())).toBeUndefined();
    expect(mime(sample.isoBmff('mif1', ['mif1', 'avif']))).toBeUndefined();
    expect(mime(sample.isoBmff('isom', ['isom', 'mp41']))).toBeUndefined(); // MP4 video
    expect(mime(sample.isoBmff('msf1', ['msf1', 'hevc']))).toBeUndefined(); // image sequence
  });

  it('refuses text, markup, archives and programs', () => {
    for (const bytes of [sample.text(), sample.svg(), sample.html(), sample.zip(), sample.exe()]) {
      expect(mime(bytes)).toBeUndefined();
    }
  });

  it('refuses a signature that is cut short or not at the very start', () => {
    expect(mime(Buffer.alloc(0))).toBeUndefined();
    expect(mime(sample.png().subarray(0, 7))).toBeUndefined();
    expect(mime(Buffer.from([0xff, 0xd8]))).toBeUndefined();
    expect(mime(Buffer.concat([Buffer.from('junk before '), sample.pdf()]))).toBeUndefined();
    expect(mime(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'))).toBeUndefined(); // RIFF, but audio
    expect(mime(Buffer.from('%PDF', 'latin1'))).toBeUndefined();
  });

  it('refuses a ftyp box with an impossible size', () => {
    const broken = sample.heic();
    broken.writeUInt32BE(7, 0);
    expect(mime(broken)).toBeUndefined();
  });

  it('lists exactly the allowed media types', () => {
    expect([...ALLOWED_MEDIA_TYPES].sort()).toEqual(
      [
        'application/pdf',
        'image/gif',
        'image/heic',
        'image/heif',
        'image/jpeg',
        'image/png',
        'image/webp',
      ].sort(),
    );
  });
});
