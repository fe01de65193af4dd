/**
 * PostalAddress ↔ the UPS address shapes (Rate/Ship `Address`, XAV `AddressKeyFormat`), with UPS's field
 * limits. Lines and city that do not fit are refused with a clear error (truncating them would lose part of
 * the address); names are cut to 35 characters, as UPS prints only 30 anyway.
 */
import type { PostalAddress } from '../domain/types.js';
import { UpsError } from './errors.js';

/** Bad input: raised before anything is sent. */
export function inputError(operation: string, message: string): UpsError {
  return new UpsError({ kind: 'hard', operation, upsMessage: message });
}

export function clip(value: string | undefined, max: number): string | undefined {
  const v = value?.trim();
  return v ? v.slice(0, max) : undefined;
}

function cleanLines(address: PostalAddress): string[] {
  return address.lines.map((l) => l.trim()).filter((l) => l !== '');
}

/** US/PR ZIP without hyphen ("12345-6789" → "123456789"), other postcodes trimmed. */
export function upsPostalCode(address: PostalAddress): string | undefined {
  const pc = address.postalCode?.trim();
  if (!pc) return undefined;
  return isUsLike(address.countryCode) ? pc.replace(/[\s-]/g, '') : pc;
}

export function isUsLike(countryCode: string): boolean {
  const c = countryCode.trim().toUpperCase();
  return c === 'US' || c === 'PR';
}

/** Phone digits (and a leading +) within UPS's 15 characters; undefined when nothing usable. */
export function upsPhone(phone: string | undefined): string | undefined {
  const p = phone?.replace(/[^\d+]/g, '');
  return p ? p.slice(0, 15) : undefined;
}

interface AddressLimits {
  stateMax: number;
  requireCity: boolean;
}

/** Rate and Ship `Address` object. Throws when a field exceeds UPS's limits. */
export function toUpsAddress(
  operation: string,
  role: string,
  address: PostalAddress,
  limits: AddressLimits,
): Record<string, unknown> {
  const lines = cleanLines(address);
  if (lines.length === 0) throw inputError(operation, `${role} address has no street line`);
  if (lines.length > 3)
    throw inputError(operation, `${role} address has ${lines.length} street lines; UPS takes 3`);
  const long = lines.find((l) => l.length > 35);
  if (long) throw inputError(operation, `${role} address line "${long}" is longer than UPS's 35 characters`);
  const city = address.city.trim();
  if (limits.requireCity && !city) throw inputError(operation, `${role} address has no city`);
  if (city.length > 30)
    throw inputError(operation, `${role} city "${city}" is longer than UPS's 30 characters`);
  const state = address.stateProvince?.trim().toUpperCase();
  if (state && state.length > limits.stateMax) {
    throw inputError(
      operation,
      `${role} state/province "${state}" must be a code of at most ${limits.stateMax} characters`,
    );
  }
  const country = address.countryCode.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw inputError(operation, `${role} country "${country}" is not an ISO alpha-2 code`);
  const postal = upsPostalCode(address);
  if (postal && postal.length > 9)
    throw inputError(operation, `${role} postal code "${postal}" is longer than 9 characters`);
  const out: Record<string, unknown> = { AddressLine: lines };
  if (city) out.City = city;
  if (state) out.StateProvinceCode = state;
  if (postal) out.PostalCode = postal;
  out.CountryCode = country;
  return out;
}

/** XAV AddressKeyFormat (v2: an object; ConsigneeName ≤ 40). */
export function toAddressKeyFormat(address: PostalAddress): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const name = clip(address.name, 40);
  if (name) out.ConsigneeName = name;
  const lines = cleanLines(address).slice(0, 3);
  if (lines.length > 0) out.AddressLine = lines;
  const city = clip(address.city, 30);
  if (city) out.PoliticalDivision2 = city;
  const state = clip(address.stateProvince, 30);
  if (state) out.PoliticalDivision1 = state.toUpperCase();
  const pc = address.postalCode?.trim();
  if (pc) {
    const us = isUsLike(address.countryCode) ? /^(\d{5})[-\s]?(\d{4})?$/.exec(pc) : null;
    if (us) {
      out.PostcodePrimaryLow = us[1];
      if (us[2]) out.PostcodeExtendedLow = us[2];
    } else {
      out.PostcodePrimaryLow = pc.slice(0, 10);
    }
  }
  out.CountryCode = address.countryCode.trim().toUpperCase();
  return out;
}
