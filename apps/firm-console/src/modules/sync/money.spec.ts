import { describe, expect, it } from '@jest/globals';
import { formatMoney, isNegative, normaliseAmount } from './money';

describe('formatMoney', () => {
  it('formats the decimal string in the currency, money out negative', () => {
    expect(formatMoney('-42.50', 'USD', 'en-US')).toBe('-$42.50');
    expect(formatMoney('1200', 'USD', 'en-US')).toBe('$1,200.00');
    expect(formatMoney('0.5', 'GBP', 'en-GB')).toBe('£0.50');
    expect(formatMoney('12.3456', 'USD', 'en-US')).toBe('$12.3456');
  });

  it('keeps every digit of large amounts (no float in between)', () => {
    expect(formatMoney('123456789012345.67', 'USD', 'en-US')).toBe('$123,456,789,012,345.67');
    expect(formatMoney('-90071992547409.93', 'USD', 'en-US')).toBe('-$90,071,992,547,409.93');
  });

  it('falls back without a currency or with an unknown one, and shows malformed input as it came', () => {
    expect(formatMoney('5.00', null, 'en-US')).toBe('$5.00');
    expect(formatMoney('5.00', 'NOPE', 'en-US')).toBe('5.00 NOPE');
    expect(formatMoney('abc', 'USD', 'en-US')).toBe('abc');
  });
});

describe('isNegative', () => {
  it('is true only for money out', () => {
    expect(isNegative('-42.50')).toBe(true);
    expect(isNegative('42.50')).toBe(false);
    expect(isNegative('-0.00')).toBe(false);
    expect(isNegative('-0.01')).toBe(true);
  });
});

describe('normaliseAmount', () => {
  it('turns what people type into what the API accepts', () => {
    expect(normaliseAmount('1200.50')).toBe('1200.50');
    expect(normaliseAmount(' $1,200.50 ')).toBe('1200.50');
    expect(normaliseAmount('-500')).toBe('-500');
    expect(normaliseAmount('−500')).toBe('-500');
    expect(normaliseAmount('-$500')).toBe('-500');
    expect(normaliseAmount('$-500')).toBe('-500');
    expect(normaliseAmount('(42.50)')).toBe('-42.50');
    expect(normaliseAmount('.5')).toBe('0.5');
    expect(normaliseAmount('5.')).toBe('5');
    expect(normaliseAmount('007')).toBe('7');
    expect(normaliseAmount('-0')).toBe('0');
  });

  it('gives "" for nothing and null for anything that is not an amount', () => {
    expect(normaliseAmount('')).toBe('');
    expect(normaliseAmount('   ')).toBe('');
    expect(normaliseAmount('abc')).toBeNull();
    expect(normaliseAmount('1,20')).toBeNull();
    expect(normaliseAmount('1.23456')).toBeNull();
    expect(normaliseAmount('--5')).toBeNull();
    expect(normaliseAmount('(-5)')).toBeNull();
    expect(normaliseAmount('1e5')).toBeNull();
    expect(normaliseAmount('1234567890123456')).toBeNull();
  });
});
