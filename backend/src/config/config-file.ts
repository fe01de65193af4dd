/** Reads the optional YAML or JSON config file. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { ConfigError } from './config-error.js';

export interface ConfigFile {
  path: string;
  data: Record<string, unknown>;
}

/** `--config <path>` / `--config=<path>` in argv, else CONNECTOR_CONFIG_FILE. */
export function configFileLocation(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { path: string; from: string } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-'))
        throw new ConfigError(['--config: expected a file path after it']);
      return { path: next, from: '--config' };
    }
    if (arg.startsWith('--config=')) return { path: arg.slice('--config='.length), from: '--config' };
  }
  const fromEnv = env.CONNECTOR_CONFIG_FILE;
  return fromEnv ? { path: fromEnv, from: 'CONNECTOR_CONFIG_FILE' } : undefined;
}

export function readConfigFile(path: string, from: string, cwd: string): ConfigFile {
  const absolute = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : 'could not be parsed';
    throw new ConfigError([`${from}: cannot read config file ${absolute}: ${why}`]);
  }
  let data: unknown;
  try {
    // CORE_SCHEMA: YAML 1.2 scalars only, so "2026-01-01" stays a string and nothing turns into a Date.
    // JSON files go through the YAML parser too (JSON is YAML 1.2): its errors give line and column without
    // quoting the file, where JSON.parse's message would quote it, secrets included.
    data = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: absolute });
  } catch (error) {
    const reason =
      error instanceof yaml.YAMLException
        ? `${error.reason} (line ${error.mark.line + 1}, column ${error.mark.column + 1})`
        : 'could not be parsed';
    throw new ConfigError([
      `${absolute}: not valid ${/\.json$/i.test(absolute) ? 'JSON' : 'YAML'}: ${reason}`,
    ]);
  }
  if (data === undefined || data === null) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([
      `${absolute}: expected a mapping of keys (server, database, tenants, …) at the top level`,
    ]);
  }
  return { path: absolute, data: data as Record<string, unknown> };
}
