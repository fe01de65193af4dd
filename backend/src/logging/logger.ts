/**
 * winston JSON logs. Every line carries the correlation id of the request or job it was written for, and
 * goes through `redact` so a secret handed to the logger by mistake is masked before it is written.
 */
import type { Writable } from 'node:stream';
import winston from 'winston';
import { currentCorrelationId } from './correlation.js';
import { redact, redactString } from './redact.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type Logger = winston.Logger;

export interface LoggerOptions {
  level?: LogLevel;
  /** Where JSON lines go; stdout when omitted. Tests pass a stream and read the lines back. */
  stream?: Writable;
  /** Fields on every line, e.g. { service: 'fusion-ups-connector' }. */
  defaultMeta?: Record<string, unknown>;
}

/** Adds `correlationId` from the current async scope unless the caller set one explicitly. */
const correlationFormat = winston.format((info) => {
  if (info.correlationId === undefined) {
    const id = currentCorrelationId();
    if (id !== undefined) info.correlationId = id;
  }
  return info;
});

/**
 * Redacts every field of the log record. winston keeps its own bookkeeping under Symbol keys (level,
 * message, splat); only string keys are replaced, and with copies, so the caller's objects stay untouched.
 */
export const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level') continue;
    const value = info[key];
    info[key] = typeof value === 'string' ? redactString(value) : redact(value);
  }
  return info;
});

export function createLogger(options: LoggerOptions = {}): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: options.defaultMeta,
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      correlationFormat(),
      redactFormat(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: [transport],
  });
}

function initialLevel(): LogLevel {
  const fromEnv = process.env.CONNECTOR_LOG_LEVEL;
  if (fromEnv && (LOG_LEVELS as readonly string[]).includes(fromEnv)) return fromEnv as LogLevel;
  // Test runs stay readable: only warnings and errors unless a test asks for more.
  return process.env.VITEST ? 'warn' : 'info';
}

/** The process-wide logger. The start command sets its level from the validated config (`setLogLevel`). */
export const logger: Logger = createLogger({
  level: initialLevel(),
  defaultMeta: { service: 'fusion-ups-connector' },
});

export function setLogLevel(level: LogLevel): void {
  logger.level = level;
}
