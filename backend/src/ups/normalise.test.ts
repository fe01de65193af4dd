import { describe, expect, it } from 'vitest';
import { classify } from './errors.js';
import {
  alerts,
  asArray,
  asObject,
  errorDetails,
  hasFlag,
  headerError,
  parseBody,
  text,
  utcInstant,
} from './normalise.js';

describe('normalise', () => {
  it('asArray: absent and "" are empty, objects become one-element arrays', () => {
    expect(asArray(undefined)).toEqual([]);
    expect(asArray(null)).toEqual([]);
    expect(asArray('')).toEqual([]);
    expect(asArray({ a: 1 })).toEqual([{ a: 1 }]);
    expect(asArray([{ a: 1 }, null, ''])).toEqual([{ a: 1 }]);
    expect(asArray('1Z')).toEqual(['1Z']);
  });

  it('asObject accepts "" where an object is expected', () => {
    expect(asObject('')).toBeUndefined();
    expect(asObject([{ x: 1 }])).toEqual({ x: 1 });
  });

  it('text trims trailing spaces and &#xD; artefacts', () => {
    expect(text('DELIVERED ')).toBe('DELIVERED');
    expect(text('&#xD;&#xD;&#xD;1')).toBe('1');
    expect(text('   ')).toBeUndefined();
    expect(text(12)).toBe('12');
    expect(text({})).toBeUndefined();
  });

  it('hasFlag tests presence, not truthiness', () => {
    expect(hasFlag({ ValidAddressIndicator: '' }, 'ValidAddressIndicator')).toBe(true);
    expect(hasFlag({}, 'ValidAddressIndicator')).toBe(false);
  });

  it('alerts from an object or an array', () => {
    expect(alerts({ Code: '110971', Description: 'Your invoice may vary ' })).toEqual([
      { code: '110971', description: 'Your invoice may vary' },
    ]);
  });

  it('errorDetails reads the REST envelope and Quantum View Response.Error', () => {
    expect(
      errorDetails({
        response: { errors: [{ code: '250002', message: 'Invalid Authentication Information' }] },
      }),
    ).toEqual([{ code: '250002', message: 'Invalid Authentication Information' }]);
    expect(
      errorDetails({
        QuantumViewResponse: { Response: { Error: { ErrorCode: '330028', ErrorDescription: 'no files' } } },
      }),
    ).toEqual([{ code: '330028', message: 'no files' }]);
  });

  it('headerError reads Errorcode/Errordescription or Apierrorcode/Apierrormsg', () => {
    expect(
      headerError(
        new Headers({
          errorcode: '190102',
          errordescription: 'No shipment found within the allowed void period',
        }),
      ),
    ).toEqual({
      code: '190102',
      message: 'No shipment found within the allowed void period',
    });
    expect(headerError(new Headers({ apierrorcode: '1', apierrormsg: 'bad' }))).toEqual({
      code: '1',
      message: 'bad',
    });
    expect(headerError(new Headers())).toBeUndefined();
  });

  it('parseBody never throws', () => {
    expect(parseBody('')).toEqual({ kind: 'empty' });
    expect(parseBody('{"a":')).toEqual({ kind: 'malformed', raw: '{"a":' });
  });

  it('utcInstant pads short times and applies both offset styles', () => {
    expect(utcInstant('20261127', '74700')?.toISOString()).toBe('2026-11-27T07:47:00.000Z');
    expect(utcInstant('20261127', '104500', '-05:00')?.toISOString()).toBe('2026-11-27T15:45:00.000Z');
    expect(utcInstant('20261127', '104500', '-04.00')?.toISOString()).toBe('2026-11-27T14:45:00.000Z');
    expect(utcInstant('', '104500')).toBeUndefined();
  });

  it('classification table: code first, then HTTP status', () => {
    expect(classify(429, '10429')).toBe('transient');
    expect(classify(400, '120801')).toBe('hard');
    expect(classify(400, '111215')).toBe('hard');
    expect(classify(400, '110601')).toBe('hard');
    expect(classify(400, '190102')).toBe('hard');
    expect(classify(401, '250002')).toBe('auth');
    expect(classify(403, undefined)).toBe('auth');
    expect(classify(502, undefined)).toBe('transient');
    expect(classify(400, '20001')).toBe('transient');
    expect(classify(422, 'XYZ')).toBe('hard');
  });
});
