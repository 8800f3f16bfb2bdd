import type { LoggerOptions } from 'pino';
import type { Config } from './config.ts';

/** Paths that may carry credentials; pino replaces them before anything is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.adminPassword',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.secret',
  '*.refreshToken',
  '*.accessToken',
  '*.privateKey',
];

export function loggerOptions(config: Pick<Config, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(process.stdout.isTTY
      ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
      : {}),
  };
}
