import {
  createHash,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/** A JSON Web Key as served in the JWKS (RSA public key). */
export interface PublicJwk {
  kty: string;
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * RS256 signing for the Xero identity service: one RSA key pair generated when the sandbox starts
 * (tokens do not survive a restart, like every other piece of sandbox state). No JOSE library: the
 * compact serialisation is three base64url parts and node:crypto does the RSA.
 */
export class JwtSigner {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.kid = createHash('sha256')
      .update(publicKey.export({ format: 'der', type: 'spki' }))
      .digest('hex')
      .slice(0, 32)
      .toUpperCase();
  }

  sign(payload: Record<string, unknown>, typ = 'JWT'): string {
    const header = { alg: 'RS256', kid: this.kid, typ, x5t: this.kid };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(this.privateKey);
    return `${input}.${b64url(signature)}`;
  }

  /** The payload of a token this signer issued, or undefined when the signature does not verify. */
  verify(token: string): Record<string, unknown> | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const ok = createVerify('RSA-SHA256')
      .update(`${parts[0]}.${parts[1]}`)
      .verify(this.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!ok) return undefined;
    try {
      return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  jwks(): { keys: PublicJwk[] } {
    const jwk = this.publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
    return { keys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }
}

/** OpenID Connect's at_hash: base64url of the left half of SHA-256 of the access token. */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return b64url(digest.subarray(0, digest.length / 2));
}

/** An opaque, unguessable token (authorization codes, refresh tokens): hex, like Xero's. */
export function opaqueToken(bytes = 32): string {
  return randomBytes(bytes).toString('hex');
}
