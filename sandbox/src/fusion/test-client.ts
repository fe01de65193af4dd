/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
/** Test support (not a test): a small fetch wrapper over a running Fusion sandbox. */
import { startFusionSandbox, type FusionSandboxOptions, type RunningFusionSandbox } from './index.js';

export const API = '/fscmRestApi/resources/11.13.18.05';
export const basic = (user: string, password = 'sandbox-password'): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const BUYER = basic('sandbox.buyer');

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface RequestOptions {
  auth?: string | null;
  version?: number | null;
  headers?: Record<string, string>;
  body?: unknown;
  contentType?: string;
}

export class FusionTestClient {
  constructor(
    readonly running: RunningFusionSandbox,
    public auth: string = BUYER,
    public version: number = 4,
  ) {}

  get baseUrl(): string {
    return this.running.baseUrl;
  }
  get sandbox() {
    return this.running.sandbox;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth === undefined ? this.auth : options.auth;
    if (auth) headers.authorization = auth;
    const version = options.version === undefined ? this.version : options.version;
    if (version !== null) headers['REST-Framework-Version'] = String(version);
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/vnd.oracle.adf.resourceitem+json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  get(path: string, options?: RequestOptions): Promise<Reply> {
    return this.request('GET', path, options);
  }

  /** Scenario API: plain JSON, no auth. */
  async scenario(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.baseUrl}/_sandbox/fusion${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`scenario ${method} ${path} → ${res.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  close(): Promise<void> {
    return this.running.close();
  }
}

export async function startClient(options: FusionSandboxOptions = {}): Promise<FusionTestClient> {
  return new FusionTestClient(await startFusionSandbox({ seed: 7, poCount: 40, ...options }));
}
