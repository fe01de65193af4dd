export {
  loadConfig,
  loadConfigDetailed,
  shouldStartSandboxes,
  type LoadConfigOptions,
  type LoadedConfig,
} from './load-config.js';
export { ConfigError } from './config-error.js';
export { maskConfig, formatEffectiveConfig, MASK } from './mask.js';
export {
  configSchema,
  type Config,
  type ConfigInput,
  type DatabaseOptions,
  type VaultConfig,
  type TenantConfig,
} from './schema.js';
export { ENV_BINDINGS } from './env-mapping.js';
export { configKeyDocs, configReferenceMarkdown, type ConfigKeyDoc } from './reference.js';
