/**
 * UPS 1Z tracking numbers: `1Z` + 6-character shipper number + 2-character service indicator + 7-digit package
 * reference + 1 check digit (18 characters). The check digit is the one UPS validates on void ("must pass 1Z rules",
 * Shipping.yaml) and that Track Alert's pattern `^1Z[0-9A-Z]{16}$` leaves unchecked.
 */

const PATTERN = /^1Z[0-9A-Z]{16}$/;

/** Letters map to digits as (charCode - 63) mod 10 (A→2 … H→9, I→0, J→1 …), digits map to themselves. */
function charValue(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  return (code - 63) % 10;
}

/** Check digit over the 15 characters that follow `1Z`: odd positions weigh 1, even positions weigh 2. */
export function checkDigit(body15: string): string {
  if (!/^[0-9A-Z]{15}$/.test(body15))
    throw new RangeError(`1Z body must be 15 characters [0-9A-Z], got "${body15}"`);
  let sum = 0;
  for (let i = 0; i < body15.length; i += 1) {
    const v = charValue(body15[i]!);
    sum += i % 2 === 1 ? v * 2 : v;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isWellFormed1Z(value: string): boolean {
  return PATTERN.test(value);
}

/** True for an 18-character 1Z number whose last digit is the correct check digit. */
export function isValid1Z(value: string): boolean {
  if (!PATTERN.test(value)) return false;
  return checkDigit(value.slice(2, 17)) === value.slice(17);
}

/** Service indicator printed in the 1Z number (first two digits after the shipper number). */
const SERVICE_INDICATOR: Record<string, string> = {
  '01': '01', // Next Day Air
  '02': '02', // 2nd Day Air
  '03': '03', // Ground
  '12': '12', // 3 Day Select
  '13': '13', // Next Day Air Saver
  '14': '14', // Next Day Air Early
  '59': '59', // 2nd Day Air A.M.
};

/** Builds the `sequence`-th tracking number of a shipper for a service; `sequence` fits in 7 digits. */
export function make1Z(shipperNumber: string, serviceCode: string, sequence: number): string {
  if (!/^[0-9A-Z]{6}$/.test(shipperNumber))
    throw new RangeError(`shipper number must be 6 characters, got "${shipperNumber}"`);
  const indicator = SERVICE_INDICATOR[serviceCode] ?? '66';
  const ref = String(sequence % 10_000_000).padStart(7, '0');
  const body = `${shipperNumber}${indicator}${ref}`;
  return `1Z${body}${checkDigit(body)}`;
}
