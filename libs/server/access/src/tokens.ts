import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A high-entropy random token for a cookie or an emailed link (256 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What we store instead of a token: HMAC-SHA256 keyed with the server secret. */
export function hashToken(secret: string, token: string): Buffer {
  return createHmac('sha256', secret).update(token).digest();
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
