/** When a provider names no wait, this long (QuickBooks' throttle window is one minute). */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** A `Retry-After` header (seconds, or an HTTP date) in milliseconds; the default when absent or unreadable. */
export function retryAfterMs(
  header: unknown,
  now: number = Date.now(),
  fallback: number = DEFAULT_RETRY_AFTER_MS,
): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.ceil(value * 1000);
  if (typeof value !== 'string' || !value.trim()) return fallback;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? fallback : Math.max(0, date - now);
}

/** A header from a plain object whose names may be in any case. */
export function headerOf(headers: unknown, name: string): unknown {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as Record<string, unknown> & { get?: (n: string) => unknown };
  if (typeof h.get === 'function') {
    const v = h.get(name);
    if (v !== undefined && v !== null) return v;
  }
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
