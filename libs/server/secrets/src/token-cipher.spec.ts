import { randomBytes } from 'node:crypto';
import { TokenCipher, TokenCipherError } from './token-cipher';

const key = () => randomBytes(32).toString('base64');

describe('TokenCipher (AES-256-GCM, rotating keys)', () => {
  it('seals and opens, and never shows the plaintext in the sealed value', () => {
    const c = new TokenCipher(key());
    const sealed = c.seal('refresh-token-secret-123', 'connection:1');
    expect(sealed).not.toContain('refresh-token-secret-123');
    expect(sealed.split('.')).toHaveLength(5);
    expect(c.open(sealed, 'connection:1')).toBe('refresh-token-secret-123');
  });

  it('uses a fresh IV each time', () => {
    const c = new TokenCipher(key());
    expect(c.seal('same')).not.toBe(c.seal('same'));
  });

  it('refuses a tampered value, and a value moved to another record', () => {
    const c = new TokenCipher(key());
    const sealed = c.seal('secret', 'connection:1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 1;
    parts[4] = body.toString('base64url');
    expect(() => c.open(parts.join('.'), 'connection:1')).toThrow(TokenCipherError);
    expect(() => c.open(sealed, 'connection:2')).toThrow(/altered or belongs to another record/);
  });

  it('opens values sealed with a previous key after rotation, and says they need re-sealing', () => {
    const oldKey = key();
    const sealedBefore = new TokenCipher(oldKey).seal('secret');
    const rotated = new TokenCipher(key(), [oldKey]);
    expect(rotated.open(sealedBefore)).toBe('secret');
    expect(rotated.needsReseal(sealedBefore)).toBe(true);
    expect(rotated.needsReseal(rotated.seal('secret'))).toBe(false);
    expect(() => new TokenCipher(key()).open(sealedBefore)).toThrow(/not configured/);
  });

  it('refuses keys that are not 32 bytes and values that are not sealed', () => {
    expect(() => new TokenCipher(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => new TokenCipher(key()).open('plain-text')).toThrow(/Not a sealed value/);
  });
});
