import { createHmac, randomBytes } from 'node:crypto';

/**
 * The signature both providers put on a webhook: base64(HMAC-SHA256(raw body, key)). QuickBooks
 * sends it as `intuit-signature` (key: the app's verifier token), Xero as `x-xero-signature`
 * (key: the webhook key). Receivers must hash the raw bytes, not re-serialised JSON.
 */
export function webhookSignature(body: string | Buffer, key: string): string {
  return createHmac('sha256', key).update(body).digest('base64');
}

/** Xero's `entropy`: 20 random upper-case letters. */
export function entropy(): string {
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => String.fromCharCode(65 + (b % 26))).join('');
}
