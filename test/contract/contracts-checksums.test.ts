import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * contracts/ holds copies of UPS's OpenAPI files and the OCI provider schema, unmodified. SHA256SUMS
 * records their digests: a file edited by hand, re-saved with other line endings, or added without a
 * digest fails here, so the contract tests always judge against what UPS and Oracle published.
 */
const contractsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../contracts');

function listed(): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of readFileSync(path.join(contractsDir, 'SHA256SUMS'), 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) {2}\.\/(.+)$/.exec(line);
    if (m?.[1] && m[2]) sums.set(m[2], m[1]);
  }
  return sums;
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(path.join(dir, name)).isDirectory() ? filesUnder(path.join(dir, name), rel) : [rel];
  });
}

describe('contracts/ (copies of UPS specs and the OCI provider schema)', () => {
  const sums = listed();

  it('lists every UPS spec and the OCI provider schema', () => {
    for (const f of [
      'ups/Shipping.yaml',
      'ups/Tracking.yaml',
      'ups/TrackAlert.yaml',
      'oci/provider-schema.json',
    ]) {
      expect(sums.has(f), f).toBe(true);
    }
  });

  it('every file matches its recorded SHA-256, and no file is unlisted', () => {
    const present = filesUnder(contractsDir).filter((f) => f !== 'SHA256SUMS' && f !== 'README.md');
    expect(present.sort()).toEqual([...sums.keys()].sort());
    for (const f of present) {
      const digest = createHash('sha256')
        .update(readFileSync(path.join(contractsDir, f)))
        .digest('hex');
      expect(digest, f).toBe(sums.get(f));
    }
  });

  it('keeps the CRLF line endings UPS published (a checkout that normalised them would fail above)', () => {
    expect(readFileSync(path.join(contractsDir, 'ups/Shipping.yaml'), 'utf8')).toContain('\r\n');
  });
});
