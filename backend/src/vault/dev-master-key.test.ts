import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_MASTER_KEY_FILE, loadOrCreateDevMasterKey } from './dev-master-key.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'vault-dev-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function recordingLogger() {
  const lines: string[] = [];
  return { lines, warn: (message: string) => void lines.push(message) };
}

describe('loadOrCreateDevMasterKey', () => {
  it('creates a 32-byte key with mode 0600 and says loudly that production needs CONNECTOR_MASTER_KEY', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const log = recordingLogger();
    const first = loadOrCreateDevMasterKey(dataDir, log);
    expect(first.created).toBe(true);
    expect(first.key.length).toBe(32);
    expect(statSync(join(dataDir, DEV_MASTER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(log.lines.join('\n')).toMatch(
      /GENERATED a development master key .*Production must set CONNECTOR_MASTER_KEY .*OCI Vault/,
    );

    const again = loadOrCreateDevMasterKey(dataDir, log);
    expect(again.created).toBe(false);
    expect(again.key.equals(first.key)).toBe(true);
  });

  it('tightens a key file that others can read', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, DEV_MASTER_KEY_FILE), randomBytes(32).toString('base64'));
    chmodSync(join(dataDir, DEV_MASTER_KEY_FILE), 0o644);
    const log = recordingLogger();
    loadOrCreateDevMasterKey(dataDir, log);
    expect(statSync(join(dataDir, DEV_MASTER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(log.lines[0]).toMatch(/readable by others/);
  });

  it('refuses a corrupted key file, naming it', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, DEV_MASTER_KEY_FILE), 'garbage', { mode: 0o600 });
    expect(() => loadOrCreateDevMasterKey(dataDir, recordingLogger())).toThrow(
      new RegExp(
        `development master key file ${join(dataDir, DEV_MASTER_KEY_FILE)}: expected base64 of 32 random bytes`,
      ),
    );
  });
});
