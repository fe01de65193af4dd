export {
  createLogger,
  logger,
  setLogLevel,
  redactFormat,
  LOG_LEVELS,
  type LogLevel,
  type Logger,
  type LoggerOptions,
} from './logger.js';
export {
  withCorrelation,
  currentCorrelationId,
  newCorrelationId,
  acceptCorrelationId,
} from './correlation.js';
export { redact, redactString, isSensitiveKey, REDACTED } from './redact.js';
