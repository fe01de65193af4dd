/**
 * UPS contract harness: validates requests, responses and webhook bodies against UPS's own OpenAPI files
 * (contracts/ups/*.yaml, loaded unmodified) plus the small overlay in ups-contract-overlay.ts.
 *
 * Loading: js-yaml 4 (the only loader that reads these files, see SOURCE.md). `$ref`s are resolved by ajv
 * itself: each spec document is registered whole under its own id, and operation schemas point into it,
 * so recursive or dangling references stay local to the operation that uses them.
 * Validation: ajv 8 in draft-04 mode (OAS 3.0 `exclusiveMinimum: true`), ajv-formats, strict mode off
 * because the specs carry OpenAPI-only keywords (`example`, `xml`, and `maximum: 1` on objects and strings).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { UPS_CONTRACT_OVERLAY, type OverlayEntry, type SpecNode } from './ups-contract-overlay.js';

// CommonJS modules under NodeNext: the class and the plugin are the `default` property of module.exports.
const Ajv04 = Ajv04Module.default;
const addFormats = addFormatsModule.default;

export type UpsApiFile =
  | 'OAuthClientCredentials'
  | 'AddressValidation'
  | 'Rating'
  | 'Shipping'
  | 'Tracking'
  | 'TrackAlert'
  | 'TrackAlert-v1-2025-09'
  | 'QuantumView';

export const UPS_API_FILES: readonly UpsApiFile[] = [
  'OAuthClientCredentials',
  'AddressValidation',
  'Rating',
  'Shipping',
  'Tracking',
  'TrackAlert',
  'TrackAlert-v1-2025-09',
  'QuantumView',
];

export interface ContractResult {
  valid: boolean;
  errors: string[];
  operation?: string;
}

export interface UpsContracts {
  /** path as sent on the wire incl. prefix, e.g. '/api/shipments/v2409/ship', '/security/v1/oauth/token'; query string ignored */
  validateRequest(method: string, path: string, body: unknown, contentType?: string): ContractResult;
  validateResponse(method: string, path: string, status: number, body: unknown): ContractResult;
  /** the webhook body UPS sends to subscribers (TrackAlert v1 / v2 TrackingEvent) */
  validateWebhookEvent(version: 'v1' | 'v2', body: unknown): ContractResult;
  findOperation(
    method: string,
    path: string,
  ): { file: UpsApiFile; operationId?: string; pathTemplate: string } | undefined;
}

export interface ContractOptions {
  /** overlay entries to apply; defaults to UPS_CONTRACT_OVERLAY. Pass [] to validate against the bare specs. */
  overlay?: readonly OverlayEntry[];
  /** folder holding the yaml files; defaults to <repo>/contracts/ups (UPS's files, unmodified) */
  specDir?: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const UPS_SPEC_DIR = path.resolve(repoRoot, 'contracts/ups');

/** Reads one spec exactly as UPS publishes it (no overlay). */
export function readUpsSpec(file: UpsApiFile, specDir = UPS_SPEC_DIR): SpecNode {
  return yaml.load(readFileSync(path.join(specDir, `${file}.yaml`), 'utf8')) as SpecNode;
}

interface Route {
  file: UpsApiFile;
  method: string;
  template: string;
  segments: string[];
  operation: SpecNode;
  /** allowed values per path or server variable, when the spec restricts them */
  allowed: Map<string, unknown[]>;
  deprecated: boolean;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function docId(file: UpsApiFile): string {
  return `https://ups-contracts.invalid/${file}.json`;
}

/** Allowed values of a parameter schema: `enum`, `const`, or a `oneOf` of consts (TrackAlert `type`). */
function allowedValues(schema: SpecNode | undefined): unknown[] | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.oneOf) && schema.oneOf.every((s: SpecNode) => 'const' in s)) {
    return schema.oneOf.map((s: SpecNode) => s.const);
  }
  return undefined;
}

function resolveLocal(doc: SpecNode, node: SpecNode): SpecNode {
  if (typeof node.$ref !== 'string' || !node.$ref.startsWith('#/')) return node;
  let target: SpecNode | undefined = doc;
  for (const part of node.$ref.slice(2).split('/')) {
    target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')] as SpecNode | undefined;
  }
  return target ?? node;
}

function routesOf(file: UpsApiFile, doc: SpecNode): Route[] {
  const servers = (doc.servers as SpecNode[] | undefined) ?? [{ url: '/' }];
  const bases = new Set(
    servers.map((s) =>
      String(s.url)
        .replace(/^[a-z]+:\/\/[^/]+/i, '')
        .replace(/\/$/, ''),
    ),
  );
  const serverVars = new Map<string, unknown[]>();
  for (const server of servers) {
    for (const [name, variable] of Object.entries((server.variables as SpecNode | undefined) ?? {})) {
      if (Array.isArray(variable.enum)) serverVars.set(name, variable.enum);
    }
  }
  const routes: Route[] = [];
  for (const [template, pathItem] of Object.entries((doc.paths as SpecNode | undefined) ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as SpecNode | undefined;
      if (!operation) continue;
      const allowed = new Map(serverVars);
      for (const p of [
        ...((pathItem.parameters as SpecNode[]) ?? []),
        ...((operation.parameters as SpecNode[]) ?? []),
      ]) {
        const param = resolveLocal(doc, p);
        const values = param.in === 'path' ? allowedValues(param.schema as SpecNode) : undefined;
        if (values && typeof param.name === 'string') allowed.set(param.name, values);
      }
      for (const base of bases) {
        const full = `${base}${template}`;
        routes.push({
          file,
          method: method.toUpperCase(),
          template: full,
          segments: full.split('/').filter(Boolean),
          operation,
          allowed,
          deprecated: operation.deprecated === true || template.includes('{deprecatedVersion}'),
        });
      }
    }
  }
  return routes;
}

function matchRoute(route: Route, method: string, segments: string[]): boolean {
  if (route.method !== method || route.segments.length !== segments.length) return false;
  return route.segments.every((seg, i) => {
    const actual = segments[i]!;
    const variable = /^\{(.+)\}$/.exec(seg)?.[1];
    if (!variable) return seg === actual;
    const allowed = route.allowed.get(variable);
    return !allowed || allowed.includes(actual);
  });
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties')
    return `${where} must NOT have additional property '${String(params.additionalProperty)}'`;
  if (e.keyword === 'enum') return `${where} ${e.message} (${JSON.stringify(params.allowedValues)})`;
  return `${where} ${e.message}`;
}

function rewriteRefs(node: unknown, id: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, id));
  if (!node || typeof node !== 'object') return node;
  const out: SpecNode = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${id}${v}` : rewriteRefs(v, id);
  }
  return out;
}

/**
 * Keyword clean-up that cannot change a verdict on well-typed data:
 * - OAS 3.0 `nullable: true` → a JSON-schema type that admits null (none of UPS's files use it today);
 * - `maximum: 1` on string/object/array schemas is UPS's XML "maxOccurs" leaking into JSON; it never applies
 *   to a value of the declared type, but would add a misleading "must be <= 1" next to "must be string".
 */
function normaliseKeywords(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(normaliseKeywords);
  if (!node || typeof node !== 'object') return;
  const schema = node as SpecNode;
  if (schema.nullable === true && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  if ('maximum' in schema && ['string', 'object', 'array'].includes(schema.type as string))
    delete schema.maximum;
  Object.values(schema).forEach(normaliseKeywords);
}

function parseBody(body: unknown, form: boolean): { value: unknown; error?: string } {
  if (body instanceof URLSearchParams) return { value: Object.fromEntries(body) };
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return { value: body };
  const text = body.toString();
  if (text.trim() === '') return { value: undefined };
  if (form) return { value: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { value: undefined, error: `body is not JSON: ${text.slice(0, 60)}` };
  }
}

function isEmpty(body: unknown): boolean {
  return body === undefined || body === null || body === '' || (Buffer.isBuffer(body) && body.length === 0);
}

export function createUpsContracts(options: ContractOptions = {}): UpsContracts {
  const overlay = options.overlay ?? UPS_CONTRACT_OVERLAY;
  const ajv = new Ajv04({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  // The v1 destination `format: url` is not a JSON-schema format; ajv-formats' own "url" refuses loopback
  // and private hosts, which is ajv's policy, not UPS's. Any absolute http(s) URL passes here.
  ajv.addFormat('url', (s: string) => /^https?:\/\//i.test(s) && URL.canParse(s));

  const docs = new Map<UpsApiFile, SpecNode>();
  const routes: Route[] = [];
  for (const file of UPS_API_FILES) {
    const doc = readUpsSpec(file, options.specDir);
    for (const entry of overlay) if (entry.file === file) entry.apply(doc);
    normaliseKeywords(doc.components);
    normaliseKeywords(doc.paths);
    normaliseKeywords(doc.webhooks);
    doc.id = docId(file);
    ajv.addSchema(doc, docId(file));
    docs.set(file, doc);
    routes.push(...routesOf(file, doc));
  }

  const compiled = new Map<string, ValidateFunction | Error>();
  function validate(file: UpsApiFile, key: string, schema: SpecNode, body: unknown): string[] {
    const cacheKey = `${file} ${key}`;
    let fn = compiled.get(cacheKey);
    if (fn === undefined) {
      try {
        fn = ajv.compile(rewriteRefs(schema, docId(file)) as SpecNode);
      } catch (err) {
        fn = err instanceof Error ? err : new Error(String(err));
      }
      compiled.set(cacheKey, fn);
    }
    if (fn instanceof Error) return [`schema of ${cacheKey} cannot be compiled: ${fn.message}`];
    if (fn(body)) return [];
    return [...new Set((fn.errors ?? []).map(formatError))];
  }

  function find(method: string, wirePath: string): Route | undefined {
    const clean = wirePath.split(/[?#]/)[0]!;
    const segments = clean
      .split('/')
      .filter(Boolean)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    const candidates = routes.filter((r) => matchRoute(r, method.toUpperCase(), segments));
    const literals = (r: Route): number => r.segments.filter((s) => !s.startsWith('{')).length;
    candidates.sort((a, b) => literals(b) - literals(a) || Number(a.deprecated) - Number(b.deprecated));
    return candidates[0];
  }

  const describe = (r: Route): string =>
    `${r.file} ${String(r.operation.operationId ?? `${r.method} ${r.template}`)}`;
  const result = (errors: string[], operation?: string): ContractResult => ({
    valid: errors.length === 0,
    errors,
    operation,
  });

  return {
    findOperation(method, wirePath) {
      const r = find(method, wirePath);
      if (!r) return undefined;
      return {
        file: r.file,
        operationId: r.operation.operationId as string | undefined,
        pathTemplate: r.template,
      };
    },

    validateRequest(method, wirePath, body, contentType) {
      const r = find(method, wirePath);
      if (!r) return result([`no UPS operation for ${method.toUpperCase()} ${wirePath}`]);
      const doc = docs.get(r.file)!;
      const requestBody = r.operation.requestBody
        ? resolveLocal(doc, r.operation.requestBody as SpecNode)
        : undefined;
      if (!requestBody)
        return result(isEmpty(body) ? [] : ['request body not declared for this operation'], describe(r));
      const content = (requestBody.content as SpecNode | undefined) ?? {};
      const declared = Object.keys(content);
      const wanted = contentType?.split(';')[0]!.trim().toLowerCase();
      const type = wanted ? declared.find((t) => t.toLowerCase() === wanted) : declared[0];
      if (!type)
        return result(
          [`content type ${wanted ?? '(none)'} not declared (declared: ${declared.join(', ')})`],
          describe(r),
        );
      const parsed = parseBody(body, type === 'application/x-www-form-urlencoded');
      if (parsed.error) return result([parsed.error], describe(r));
      if (parsed.value === undefined)
        return result(requestBody.required === true ? ['request body is required'] : [], describe(r));
      const schema = content[type]?.schema as SpecNode | undefined;
      if (!schema) return result([], describe(r));
      return result(
        validate(r.file, `${r.method} ${r.template} request ${type}`, schema, parsed.value),
        describe(r),
      );
    },

    validateResponse(method, wirePath, status, body) {
      const r = find(method, wirePath);
      if (!r) return result([`no UPS operation for ${method.toUpperCase()} ${wirePath}`]);
      const doc = docs.get(r.file)!;
      const responses = (r.operation.responses as SpecNode | undefined) ?? {};
      const declared = responses[String(status)] ?? responses.default;
      if (!declared) return result([`status ${status} not declared`], describe(r));
      const response = resolveLocal(doc, declared as SpecNode);
      const content = (response.content as SpecNode | undefined) ?? {};
      const type = Object.keys(content).find((t) => t.includes('json')) ?? Object.keys(content)[0];
      if (!type) return result(isEmpty(body) ? [] : [`status ${status} declares no body`], describe(r));
      const parsed = parseBody(body, false);
      if (parsed.error) return result([parsed.error], describe(r));
      if (parsed.value === undefined) return result([`empty body, expected ${type}`], describe(r));
      const schema = content[type]?.schema as SpecNode | undefined;
      if (!schema) return result([], describe(r));
      return result(
        validate(r.file, `${r.method} ${r.template} ${status}`, schema, parsed.value),
        describe(r),
      );
    },

    validateWebhookEvent(version, body) {
      const file: UpsApiFile = version === 'v1' ? 'TrackAlert-v1-2025-09' : 'TrackAlert';
      const doc = docs.get(file)!;
      const operation = `${file} webhook TrackingEvent`;
      const schema = doc.webhooks?.TrackingEvent?.post?.requestBody?.content?.['application/json']?.schema as
        SpecNode | undefined;
      if (!schema) return result(['webhook TrackingEvent not declared'], operation);
      const parsed = parseBody(body, false);
      if (parsed.error) return result([parsed.error], operation);
      return result(validate(file, 'webhook TrackingEvent', schema, parsed.value), operation);
    },
  };
}

let cached: Promise<UpsContracts> | undefined;

/** The harness with the documented overlay, built once per process. */
export function loadUpsContracts(): Promise<UpsContracts> {
  cached ??= Promise.resolve().then(() => createUpsContracts());
  return cached;
}
