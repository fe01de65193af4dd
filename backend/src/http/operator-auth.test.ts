import { describe, expect, it } from 'vitest';
import { tokenDigest } from '../service/tenant-store.js';
import { tokenMatches } from './operator-auth.js';
import { labelFile } from './operator-labels.js';

describe('tokenMatches', () => {
  const token = 'acme-operator-token-0123456789abcdef';
  it('accepts the token whose SHA-256 is stored, in any hex case', () => {
    expect(tokenMatches(token, tokenDigest(token))).toBe(true);
    expect(tokenMatches(token, tokenDigest(token).toUpperCase())).toBe(true);
  });
  it('rejects another token, a missing digest and a malformed digest', () => {
    expect(tokenMatches(`${token}x`, tokenDigest(token))).toBe(false);
    expect(tokenMatches(token, undefined)).toBe(false);
    expect(tokenMatches(token, 'abc')).toBe(false);
  });
});

describe('labelFile', () => {
  it('names the content type and file extension by label format', () => {
    const gif = labelFile('GIF', Buffer.from('GIF89a').toString('base64'), '1Z1', 'stored');
    expect(gif).toMatchObject({ contentType: 'image/gif', filename: '1Z1.gif' });
    expect(gif.bytes.toString()).toBe('GIF89a');
    expect(labelFile('zpl', '', '1Z2', 'recovered')).toMatchObject({
      contentType: 'application/octet-stream',
      filename: '1Z2.zpl',
    });
  });
});
