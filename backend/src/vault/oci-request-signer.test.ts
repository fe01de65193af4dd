import { createVerify, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OciApiKeySigner, signedHeaders, signingString } from './oci-request-signer.js';

/**
 * Oracle's published signing test vector (OCI "Request Signatures" documentation, reused by the OCI SDKs'
 * tests). Only the PUBLIC half of Oracle's test key is kept here: a signing string is right exactly when
 * Oracle's published signature verifies over it. The RSA signing itself is checked with a key made per run.
 */
const ORACLE_TEST_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----`;
// Oracle's vector signs this literal; 5 Jan 2014 was in fact a Sunday, which Date#toUTCString prints.
const DATE = 'Thu, 05 Jan 2014 21:31:40 GMT';
const REAL_DATE = 'Sun, 05 Jan 2014 21:31:40 GMT';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq';
const USER = 'ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq';
const FINGERPRINT = '20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34';

const GET_URL =
  'https://iaas.us-phoenix-1.oraclecloud.com/20160918/instances?availabilityDomain=Pjwf%3A%20PHX-AD-1&' +
  'compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa' +
  '&displayName=TeamXInstances&volumeId=ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q';
const GET_SIGNATURE =
  'GBas7grhyrhSKHP6AVIj/h5/Vp8bd/peM79H9Wv8kjoaCivujVXlpbKLjMPeDUhxkFIWtTtLBj3sUzaFj34XE6YZAHc9r2DmE4pMwOAy/kiITcZxa1oHPOeRheC0jP2dqbTll8fmTZVwKZOKHYPtrLJIJQHJjNvxFWeHQjMaR7M=';

const POST_URL = 'https://iaas.us-phoenix-1.oraclecloud.com/20160918/volumeAttachments';
const POST_BODY = `{
    "compartmentId": "ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa",
    "instanceId": "ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjqofakrwvou52gb6s5a",
    "volumeId": "ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q"
}`;
const POST_SIGNING_STRING = `date: ${DATE}
(request-target): post /20160918/volumeAttachments
host: iaas.us-phoenix-1.oraclecloud.com
content-length: 316
content-type: application/json
x-content-sha256: V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=`;
const POST_SIGNATURE =
  'Mje8vIDPlwIHmD/cTDwRxE7HaAvBg16JnVcsuqaNRim23fFPgQfLoOOxae6WqKb1uPjYEl0qIdazWaBy/Ml8DRhqlocMwoSXv0fbukP8J5N80LCmzT/FFBvIvTB91XuXI3hYfP9Zt1l7S6ieVadHUfqBedWH0itrtPJBgKmrWso=';

const oracleSigned = (text: string, signature: string) =>
  verify('sha256', Buffer.from(text), ORACLE_TEST_PUBLIC_KEY, Buffer.from(signature, 'base64'));

describe("OCI request signing against Oracle's published vectors", () => {
  it('builds the GET signing string Oracle signed', () => {
    const text = signingString(signedHeaders({ method: 'GET', url: GET_URL }, DATE));
    expect(oracleSigned(text, GET_SIGNATURE)).toBe(true);
    expect(text.split('\n').map((l) => l.split(':')[0])).toEqual(['date', '(request-target)', 'host']);
  });

  it('builds the POST signing string Oracle signed, body hash and length included', () => {
    const text = signingString(signedHeaders({ method: 'POST', url: POST_URL, body: POST_BODY }, DATE));
    expect(text).toBe(POST_SIGNING_STRING);
    expect(oracleSigned(text, POST_SIGNATURE)).toBe(true);
    expect(oracleSigned(text.replace('316', '317'), POST_SIGNATURE)).toBe(false);
  });
});

describe('OciApiKeySigner', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it("returns the Authorization header in OCI's format with a signature that verifies", async () => {
    const signer = new OciApiKeySigner(
      { tenancyOcid: TENANCY, userOcid: USER, fingerprint: FINGERPRINT, privateKey: pem },
      () => new Date(REAL_DATE),
    );
    const headers = await signer.sign({
      method: 'POST',
      url: POST_URL,
      headers: { 'content-type': 'application/json' },
      body: POST_BODY,
    });
    expect(headers).toMatchObject({
      date: REAL_DATE,
      host: 'iaas.us-phoenix-1.oraclecloud.com',
      'content-length': '316',
      'content-type': 'application/json',
      'x-content-sha256': 'V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=',
    });
    const match =
      /^Signature version="1",headers="date \(request-target\) host content-length content-type x-content-sha256",keyId="([^"]+)",algorithm="rsa-sha256",signature="([^"]+)"$/.exec(
        headers.authorization!,
      );
    expect(match?.[1]).toBe(`${TENANCY}/${USER}/${FINGERPRINT}`);
    const verifier = createVerify('sha256').update(POST_SIGNING_STRING.replace(DATE, REAL_DATE));
    expect(verifier.verify(publicKey, match![2]!, 'base64')).toBe(true);
  });

  it('reads encrypted keys with their passphrase and refuses a bad key without quoting it', () => {
    const encrypted = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pp' })
      .toString();
    expect(
      () =>
        new OciApiKeySigner({
          tenancyOcid: TENANCY,
          userOcid: USER,
          fingerprint: FINGERPRINT,
          privateKey: encrypted,
          passphrase: 'pp',
        }),
    ).not.toThrow();
    expect(
      () =>
        new OciApiKeySigner({
          tenancyOcid: TENANCY,
          userOcid: USER,
          fingerprint: FINGERPRINT,
          privateKey: encrypted,
          passphrase: 'wrong',
        }),
    ).toThrow(/^OCI Vault: the API private key could not be read \(PEM format, passphrase\)$/);
    expect(
      () =>
        new OciApiKeySigner({
          tenancyOcid: TENANCY,
          userOcid: USER,
          fingerprint: FINGERPRINT,
          privateKey: 'not a key',
        }),
    ).toThrow(/could not be read/);
  });
});
