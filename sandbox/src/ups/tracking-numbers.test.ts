import { describe, expect, it } from 'vitest';
import { checkDigit, isValid1Z, make1Z } from './tracking-numbers.js';

describe('1Z tracking numbers', () => {
  it.each([
    '1Z999AA10123456784',
    '1ZCIETST0111111114',
    '1ZCIETST0422222228',
    '1Z2220060294314162',
    '1Z2220060291994175',
  ])('accepts the published UPS number %s', (n) => {
    expect(isValid1Z(n)).toBe(true);
  });

  it('rejects a number whose check digit is off by one, and malformed numbers', () => {
    expect(isValid1Z('1Z999AA10123456785')).toBe(false);
    expect(isValid1Z('1Z999AA1012345678')).toBe(false);
    expect(isValid1Z('1z999AA10123456784')).toBe(false);
  });

  it('computes the check digit from letters and digits', () => {
    expect(checkDigit('999AA1012345678')).toBe('4');
    expect(checkDigit('CIETST011111111')).toBe('4');
  });

  it('makes 18-character numbers that carry the shipper number and a correct check digit', () => {
    const numbers = Array.from({ length: 50 }, (_, i) => make1Z('A1B2C3', '03', i + 1));
    for (const n of numbers) {
      expect(n).toMatch(/^1ZA1B2C303\d{8}$/);
      expect(isValid1Z(n)).toBe(true);
    }
    expect(new Set(numbers).size).toBe(50);
  });
});
