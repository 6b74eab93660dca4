import { describe, expect, it } from '@jest/globals';
import {
  displayName,
  fileSizeWords,
  isPreviewableImage,
  MAX_UPLOAD_BYTES,
  refusalOf,
  uploadFailureWords,
} from './upload-rules';

const MB = 1024 * 1024;

describe('fileSizeWords', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [950, '950 bytes'],
    [1024, '1 KB'],
    [839_680, '820 KB'],
    [1.25 * MB, '1.3 MB'],
    [10 * MB, '10 MB'],
    [12.6 * MB, '13 MB'],
  ])('%d → %s', (bytes, words) => {
    expect(fileSizeWords(bytes)).toBe(words);
  });
});

describe('refusalOf', () => {
  it('lets photos and PDFs through', () => {
    for (const type of [
      'image/jpeg',
      'image/png',
      'image/heic',
      'image/webp',
      'image/gif',
      'application/pdf',
    ]) {
      expect(refusalOf({ name: 'receipt', type, size: 2000 })).toBeNull();
    }
  });

  it('judges a file without a type by its name (HEIC photos often come that way)', () => {
    expect(refusalOf({ name: 'IMG_0042.HEIC', type: '', size: 2000 })).toBeNull();
    expect(refusalOf({ name: 'notes', type: '', size: 2000 })).toMatch(/isn’t a photo or a PDF/);
  });

  it('refuses other types in plain words', () => {
    expect(refusalOf({ name: 'notes.txt', type: 'text/plain', size: 20 })).toBe(
      '“notes.txt” isn’t a photo or a PDF. Attach a photo (JPEG, PNG, HEIC, WebP or GIF) or a PDF.',
    );
  });

  it('refuses empty files and files over the limit, saying the sizes', () => {
    expect(refusalOf({ name: 'a.jpg', type: 'image/jpeg', size: 0 })).toBe(
      '“a.jpg” is empty. Choose the file again, or take a new photo.',
    );
    expect(refusalOf({ name: 'big.jpg', type: 'image/jpeg', size: 12.4 * MB })).toBe(
      '“big.jpg” is 12 MB: files can be up to 10 MB. Take a new photo, or send a smaller file.',
    );
    expect(refusalOf({ name: 'edge.pdf', type: 'application/pdf', size: MAX_UPLOAD_BYTES })).toBeNull();
  });
});

describe('uploadFailureWords', () => {
  const fail = (statusCode: number, code: string, details?: unknown) => ({
    statusCode,
    code,
    message: 'x',
    details,
  });

  it('explains each refusal of the server next to the file', () => {
    expect(uploadFailureWords(fail(413, 'FILE_TOO_LARGE', { maxBytes: 5 * MB }), 'scan.pdf')).toBe(
      '“scan.pdf” is larger than 5 MB. Take a new photo, or send a smaller file.',
    );
    expect(uploadFailureWords(fail(415, 'FILE_TYPE_NOT_ALLOWED'), 'receipt.jpg')).toBe(
      '“receipt.jpg” isn’t a photo or a PDF we can open, whatever its name says. Attach a photo (JPEG, PNG, HEIC, WebP or GIF) or a PDF.',
    );
    expect(uploadFailureWords(fail(400, 'FILE_EMPTY'), 'a.png')).toBe(
      '“a.png” arrived empty or cut off. Try again.',
    );
    expect(uploadFailureWords(fail(409, 'TOO_MANY_ATTACHMENTS'), 'a.png')).toMatch(/send your answer first/);
    expect(uploadFailureWords(fail(404, 'QUESTION_NOT_FOUND'), 'a.png')).toMatch(/closed this question/);
    expect(uploadFailureWords(fail(0, 'NETWORK_ERROR'), 'a.png')).toMatch(/check your connection/);
  });

  it('says so when the server cannot take files at all', () => {
    expect(uploadFailureWords(fail(404, 'NOT_FOUND'), 'a.png')).toBe(
      'Attaching files isn’t available yet. Describe the receipt in your answer instead.',
    );
  });

  it('falls back on the status, then on the server’s own sentence', () => {
    expect(uploadFailureWords(fail(413, 'SOMETHING'), 'a.png')).toMatch(/too large/);
    expect(uploadFailureWords(fail(502, 'SERVER_ERROR'), 'a.png')).toMatch(/Try again in a moment/);
    expect(
      uploadFailureWords({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'Choose a photo.' }, 'a.png'),
    ).toBe('Choose a photo.');
  });
});

describe('names and previews', () => {
  it('quotes a file name and shortens a very long one in the middle', () => {
    expect(displayName('receipt.jpg')).toBe('“receipt.jpg”');
    expect(displayName('a'.repeat(60) + '.jpg')).toBe(`“${'a'.repeat(24)}…${'a'.repeat(8)}.jpg”`);
    expect(displayName('  ')).toBe('This file');
  });

  it('previews the images a browser can show', () => {
    expect(isPreviewableImage('image/jpeg')).toBe(true);
    expect(isPreviewableImage('image/heic')).toBe(false);
    expect(isPreviewableImage('application/pdf')).toBe(false);
  });
});
