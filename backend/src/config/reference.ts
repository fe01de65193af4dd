/**
 * The config reference (every key, its variable, default and meaning), generated from the schema so it
 * cannot drift: REFERENCE.md is this output, checked by reference.test.ts. `print-config --keys` can print it.
 */
import type { z } from 'zod';
import { ENV_BINDINGS } from './env-mapping.js';
import { configSchema } from './schema.js';
import { defOf, defaultOf, descriptionOf, layersOf, secretKind } from './schema-walk.js';

export interface ConfigKeyDoc {
  key: string;
  env?: string;
  default?: string;
  secret: boolean;
  description: string;
}

const EXTRA_ENV: Record<string, string> = {
  'vault.masterKeys': 'CONNECTOR_MASTER_KEY (+ CONNECTOR_MASTER_KEY_ID) or CONNECTOR_MASTER_KEYS',
  'vault.keys': 'CONNECTOR_OCI_VAULT_KEYS',
};

export function configKeyDocs(): ConfigKeyDoc[] {
  const docs: ConfigKeyDoc[] = [];
  visit(configSchema, '', '', docs);
  return docs;
}

function visit(schema: z.ZodType, key: string, prefix: string, docs: ConfigKeyDoc[]): void {
  const inner = layersOf(schema).at(-1)!;
  const def = defOf(inner);
  const description = `${prefix}${descriptionOf(schema) ?? ''}`.trim();
  if (def.type === 'object') {
    if (key) docs.push(doc(schema, key, description));
    for (const [child, childSchema] of Object.entries(def.shape ?? {}))
      visit(childSchema, key ? `${key}.${child}` : child, prefix, docs);
    return;
  }
  if (def.type === 'array' && def.element) {
    const elementType = defOf(layersOf(def.element).at(-1)!).type;
    if (elementType === 'object' || elementType === 'union') {
      docs.push(doc(schema, key, description));
      visit(def.element, `${key}[]`, prefix, docs);
      return;
    }
  }
  if (def.type === 'union' && def.discriminator) {
    const disc = def.discriminator;
    const tagOf = (option: z.ZodType) =>
      String(defOf(layersOf(defOf(option).shape![disc]!).at(-1)!).values?.[0]);
    docs.push(doc(schema, key, description));
    const tagKey = `${key}.${disc}`;
    const defaultTag = (defaultOf(schema) as Record<string, unknown> | undefined)?.[disc];
    docs.push({
      ...doc(schema, tagKey, `One of ${(def.options ?? []).map(tagOf).join(', ')}.`),
      default: defaultTag === undefined ? undefined : JSON.stringify(defaultTag),
    });
    for (const option of def.options ?? []) {
      for (const [child, childSchema] of Object.entries(defOf(option).shape ?? {})) {
        if (child !== disc)
          visit(childSchema, `${key}.${child}`, `${prefix}(${disc} ${tagOf(option)}) `, docs);
      }
    }
    return;
  }
  docs.push(doc(schema, key, description));
}

function doc(schema: z.ZodType, key: string, description: string): ConfigKeyDoc {
  const generic = key.replace(/^tenants\[\]\./, '');
  const binding = ENV_BINDINGS.find((b) =>
    b.tenant ? key.startsWith('tenants[]') && b.path.join('.') === generic : b.path.join('.') === key,
  );
  const def = defaultOf(schema);
  return {
    key,
    env: binding?.env ?? EXTRA_ENV[key],
    default:
      def === undefined || (typeof def === 'object' && def !== null && Object.keys(def).length === 0)
        ? undefined
        : JSON.stringify(def),
    secret: secretKind(schema) !== undefined,
    description,
  };
}

export function configReferenceMarkdown(): string {
  const rows = configKeyDocs().map(
    (d) =>
      `| \`${d.key}\` | ${
        d.env
          ? d.env
              .split(' ')
              .map((w) => (/^[A-Z_]+$/.test(w) ? `\`${w}\`` : w))
              .join(' ')
          : ''
      } | ${d.default ? `\`${d.default}\`` : ''} | ${d.secret ? 'yes' : ''} | ${d.description.replace(/\|/g, '\\|')} |`,
  );
  return [
    '# Configuration reference',
    '',
    'Generated from `schema.ts` by `reference.ts` (the test `reference.test.ts` fails when this file is stale; run `npx vitest run backend/src/config -u` to refresh it).',
    'Keys are for the config file; the variable column names the environment variable that sets or overrides the key.',
    'Tenant variables apply to the tenant `CONNECTOR_TENANT_ID` (default: the only tenant in the file, else `default`).',
    '',
    '| key | environment | default | secret | meaning |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
