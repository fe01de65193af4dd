/**
 * Loads the one typed config: defaults ← optional file (YAML/JSON) ← environment, validated by the schema.
 * Any problem throws ConfigError naming the key; nothing starts on a half-valid config.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { configFileLocation, readConfigFile } from './config-file.js';
import { closest } from './did-you-mean.js';
import { applyEnv, isKnownEnvName, KNOWN_ENV_NAMES, type Sources } from './env-mapping.js';
import { formatIssues } from './format-issues.js';
import { configSchema, type Config } from './schema.js';
import { formatPath, type PathSegment } from './schema-walk.js';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Command-line arguments, searched for --config. */
  argv?: readonly string[];
  /** Explicit file; wins over --config and CONNECTOR_CONFIG_FILE. */
  configFile?: string;
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read, if any. */
  configFile?: string;
  /** Not fatal, worth logging: e.g. an unknown CONNECTOR_* variable (a probable typo). */
  warnings: string[];
  /** Which env variable or 'file' set each key path. */
  sources: Sources;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  return loadConfigDetailed(options).config;
}

export function loadConfigDetailed(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const location = options.configFile
    ? { path: options.configFile, from: 'config file' }
    : configFileLocation(options.argv ?? [], env);
  const file = location ? readConfigFile(location.path, location.from, cwd) : undefined;

  const sources: Sources = new Map();
  const input = structuredClone(file?.data ?? {});
  if (file) markFileSources(input, [], sources);
  applyEnv(input, env, sources);

  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      formatIssues(result.error.issues, { schema: configSchema, input, sources, file: file?.path }),
    );
  }
  return {
    config: resolvePaths(result.data, cwd),
    configFile: file?.path,
    warnings: envWarnings(env),
    sources,
  };
}

function markFileSources(node: unknown, path: PathSegment[], sources: Sources): void {
  sources.set(formatPath(path), 'file');
  if (node === null || typeof node !== 'object') return;
  for (const [key, child] of Object.entries(node))
    markFileSources(child, [...path, Array.isArray(node) ? Number(key) : key], sources);
}

/** Relative paths are taken from the working directory, and printed absolute so there is no doubt. */
function resolvePaths(config: Config, cwd: string): Config {
  const dataDir = resolve(cwd, config.dataDir);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const database =
    config.database.engine === 'pglite'
      ? {
          ...config.database,
          dataDir: config.database.dataDir ? abs(config.database.dataDir) : join(dataDir, 'pglite'),
        }
      : config.database.engine === 'oracle' && config.database.walletDir
        ? { ...config.database, walletDir: abs(config.database.walletDir) }
        : config.database;
  return { ...config, dataDir, database };
}

function envWarnings(env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(env)) {
    if (!name.startsWith('CONNECTOR_') || isKnownEnvName(name)) continue;
    const suggestion = closest(name, KNOWN_ENV_NAMES);
    warnings.push(
      `${name}: not a setting this connector knows${suggestion ? ` — did you mean ${suggestion}?` : ''}; ignored`,
    );
  }
  return warnings;
}

/** `auto` starts the built-in sandboxes when no tenant is configured (nothing real to talk to). */
export function shouldStartSandboxes(config: Config): boolean {
  if (config.sandbox.mode === 'always') return true;
  if (config.sandbox.mode === 'never') return false;
  return config.tenants.length === 0;
}
