import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

export class TokenCipherError extends Error {}

/**
 * Encrypts secrets at rest (OAuth access and refresh tokens) with AES-256-GCM. Each value carries
 * the id of the key that sealed it (`v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url), so keys can
 * be rotated: new values use the current key, old ones still open with a previous key until they
 * are re-sealed. Tampering or a wrong key fails loudly, never returns garbage.
 */
export class TokenCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  /** `current` and `previous` are 32-byte keys in base64 (ENCRYPTION_KEY, ENCRYPTION_KEYS_PREVIOUS). */
  constructor(current: string, previous: readonly string[] = []) {
    const key = decodeKey(current);
    this.currentKeyId = keyId(key);
    this.keys.set(this.currentKeyId, key);
    for (const p of previous) {
      const k = decodeKey(p);
      this.keys.set(keyId(k), k);
    }
  }

  /** Seals `plaintext`; `context` (e.g. the connection id) is authenticated, so a value cannot be moved to another row. */
  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId) as Buffer, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.currentKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context = ''): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new TokenCipherError('Not a sealed value');
    const key = this.keys.get(parts[1]);
    if (!key) throw new TokenCipherError(`Sealed with key ${parts[1]}, which is not configured (add it to ENCRYPTION_KEYS_PREVIOUS)`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2], 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(parts[3], 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(parts[4], 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenCipherError('The sealed value was altered or belongs to another record');
    }
  }

  /** True when the value was sealed with an older key and should be re-sealed. */
  needsReseal(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentKeyId;
  }
}

function decodeKey(b64: string): Buffer {
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) throw new TokenCipherError('An encryption key must be 32 bytes in base64 (openssl rand -base64 32)');
  return key;
}

/** A short, non-secret fingerprint of a key: the first 8 hex digits of its SHA-256. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
