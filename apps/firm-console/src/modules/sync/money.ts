/*
 * Money as the API sends it: a signed decimal string ("-42.50"), never a float. Formatting hands the
 * string itself to Intl.NumberFormat (which reads it as an exact decimal), and amounts typed into the
 * explorer's filters are checked and normalised as text, so no arithmetic ever touches a float.
 */

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string | undefined, currency: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 4,
    });
    formatters.set(key, f);
  }
  return f;
}

/**
 * "-42.50" in USD → "-$42.50" (in the reader's locale). An unknown currency code falls back to the
 * amount and the code; a malformed amount is shown as it came.
 */
export function formatMoney(amount: string, currency: string | null | undefined, locale?: string): string {
  const value = amount.trim();
  if (!/^-?\d+(\.\d+)?$/.test(value)) return amount;
  const code = (currency || 'USD').toUpperCase();
  try {
    return formatter(locale, code).format(value as Intl.StringNumericLiteral);
  } catch {
    return `${value} ${code}`;
  }
}

/** True for money going out of the business ("-42.50"). */
export function isNegative(amount: string): boolean {
  return /^\s*-\s*\d*\.?\d*[1-9]/.test(amount);
}

/**
 * An amount typed by a person, as the API wants it: "$1,200.50" → "1200.50", "(42)" → "-42",
 * "−5" → "-5". Empty input gives "" (no filter); anything else that isn't an amount gives null.
 */
export function normaliseAmount(input: string): string | null {
  let s = input.trim();
  if (s === '') return '';
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  s = s.replace(/[\u2212\u2012\u2013]/g, '-'); // typographic minus signs
  if (s.startsWith('-')) {
    if (negative) return null;
    negative = true;
    s = s.slice(1).trim();
  }
  s = s.replace(/^[$£€¥]\s*/, '');
  if (s.startsWith('-')) {
    if (negative) return null;
    negative = true;
    s = s.slice(1).trim();
  }
  // Thousands separators only between groups of three digits.
  if (s.includes(',')) {
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) return null;
    s = s.replace(/,/g, '');
  }
  if (s.startsWith('.')) s = `0${s}`;
  if (s.endsWith('.')) s = s.slice(0, -1);
  s = s.replace(/^0+(?=\d)/, '');
  if (!/^\d{1,15}(\.\d{1,4})?$/.test(s)) return null;
  const zero = /^0(\.0*)?$/.test(s);
  return negative && !zero ? `-${s}` : s;
}
