import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { ENV_BINDINGS } from './env-mapping.js';
import { configKeyDocs, configReferenceMarkdown } from './reference.js';

describe('config reference', () => {
  it('REFERENCE.md is generated from the schema and up to date', async () => {
    // Formatted as `npm run lint` (prettier --check) expects the committed file to be.
    await expect(await format(configReferenceMarkdown(), { parser: 'markdown' })).toMatchFileSnapshot(
      './REFERENCE.md',
    );
  });

  it('documents every environment variable binding', () => {
    const documented = new Set(configKeyDocs().flatMap((d) => (d.env ? [d.env] : [])));
    const missing = ENV_BINDINGS.map((b) => b.env).filter((env) => !documented.has(env));
    expect(missing).toEqual([]);
  });

  it('marks the secret keys', () => {
    const secret = configKeyDocs()
      .filter((d) => d.secret)
      .map((d) => d.key);
    expect(secret).toEqual(
      expect.arrayContaining([
        'database.url',
        'database.password',
        'tenants[].ups.clientSecret',
        'tenants[].fusion.auth.password',
        'vault.masterKeys[].key',
      ]),
    );
  });
});
