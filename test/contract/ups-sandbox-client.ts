/**
 * Talks to a running UPS sandbox over real HTTP for the contract tests: every business request is first
 * checked against UPS's request schema (a test request that UPS would refuse proves nothing), and every
 * answer comes back raw so the harness validates exactly the bytes on the wire.
 */
import { expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { UpsContracts } from '../support/ups-contract.js';
import type { SpecNode } from '../support/ups-contract-overlay.js';

export interface WireResponse {
  status: number;
  headers: Headers;
  text: string;
  /** parsed body; UPS JSON is read structurally in tests */
  json: SpecNode;
}

export interface CallOptions {
  body?: unknown;
  /** form fields for the token endpoint */
  form?: Record<string, string>;
  /** full Authorization header value, or 'none' to send none */
  auth?: string;
  headers?: Record<string, string>;
  /** skip the request-schema check (for deliberately wrong requests) */
  unchecked?: boolean;
}

export class UpsSandboxClient {
  accessToken = '';

  constructor(
    readonly baseUrl: string,
    readonly contracts: UpsContracts,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  basic(id = this.clientId, secret = this.clientSecret): string {
    return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  }

  async call(method: string, path: string, o: CallOptions = {}): Promise<WireResponse> {
    const headers: Record<string, string> = {
      transId: randomUUID().replace(/-/g, ''),
      transactionSrc: 'contract-tests',
      ...o.headers,
    };
    let body: string | undefined;
    if (o.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    } else if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.body);
    }
    const auth = o.auth ?? `Bearer ${this.accessToken}`;
    if (auth !== 'none') headers.authorization = auth;
    if (!o.unchecked) {
      const check = this.contracts.validateRequest(method, path, o.form ?? o.body, headers['content-type']);
      expect(check.errors, `request ${method} ${path} must satisfy UPS's schema`).toEqual([]);
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let json: SpecNode = {};
    try {
      json = text ? (JSON.parse(text) as SpecNode) : {};
    } catch {
      json = {};
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** Contract errors of a response (the raw text is parsed by the harness). */
  errorsOf(method: string, path: string, res: WireResponse): string[] {
    return this.contracts.validateResponse(method, path, res.status, res.text).errors;
  }

  async token(): Promise<string> {
    const res = await this.call('POST', '/security/v1/oauth/token', {
      form: { grant_type: 'client_credentials' },
      auth: this.basic(),
    });
    expect(res.status).toBe(200);
    this.accessToken = String(res.json.access_token);
    return this.accessToken;
  }

  async scenario(method: string, path: string, body?: unknown): Promise<SpecNode> {
    const res = await fetch(`${this.baseUrl}/_sandbox/ups${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`scenario ${method} ${path} → ${res.status} ${text}`);
    return text ? (JSON.parse(text) as SpecNode) : {};
  }
}

/**
 * Paths (in the `errors` format of the harness) where a body holds a one-element array under one of `keys`:
 * what the single-objects quirk turns into objects, so exactly these must become "must be array".
 */
export function singleElementArrays(body: unknown, keys: ReadonlySet<string>, path = ''): string[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => singleElementArrays(v, keys, `${path}/${i}`));
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body).flatMap(([k, v]) => {
    const here = `${path}/${k}`;
    if (keys.has(k) && Array.isArray(v) && v.length === 1) {
      return [`${here} must be array`, ...singleElementArrays(v[0], keys, here)];
    }
    return singleElementArrays(v, keys, here);
  });
}
