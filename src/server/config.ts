import path from 'node:path';
import { z } from 'zod';
import { providers } from './mdm/registry.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const Environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  SATCHEL_DATA_DIR: z.string().min(1).default('./data'),
  SATCHEL_UPLOAD_DIR: z.string().min(1).optional(),
  SATCHEL_SECRET_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes encoded as base64')
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  SATCHEL_PREVIOUS_SECRET_KEYS: z
    .string()
    .refine(
      (value) => value.split(',').every((key) => Buffer.from(key.trim(), 'base64').length === 32),
      'must be comma-separated 32-byte base64 keys',
    )
    .optional(),
  SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: z.enum(['true', 'false']).default('false'),
  SATCHEL_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  SATCHEL_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SATCHEL_HEALTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SATCHEL_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  SATCHEL_SYNC_RESERVED_SLOTS: z.coerce.number().int().min(0).max(63).optional(),
  SATCHEL_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(60),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Satchel <satchel@localhost>'),
  GOOGLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).default('https://accounts.google.com'),
  MICROSOFT_OIDC_CLIENT_ID: z.string().min(1).optional(),
  MICROSOFT_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_OIDC_AUTHORITY: z.url({ protocol: /^https?$/ }).default('https://login.microsoftonline.com'),
});

export const PROCESS_ROLES = ['all', 'web', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  secureCookies: boolean;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  dataDir: string;
  /** Where CSV uploads wait, owner-only, while they are imported; each is deleted when its import ends. */
  uploadDir: string;
  secretKey: Buffer | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Keys that still decrypt secrets written before a rotation. */
  previousSecretKeys: Buffer[];
  /** Each provider's own block, parsed from the variables it declares (`ProviderDefinition.config`). */
  providers: Readonly<Record<string, unknown>>;
  /**
   * District-entered provider URLs may point at private addresses and use http (on-premises servers, tests,
   * demos); otherwise only https to public addresses.
   */
  allowPrivateProviderUrls: boolean;
  /** Behind a reverse proxy, client addresses come from X-Forwarded-For. */
  trustProxy: boolean;
  /** What `serve` runs: the API and UI (`web`), the background jobs (`worker`), or both (`all`). */
  role: ProcessRole;
  /** A worker process answers health checks on this port when set. */
  healthPort: number | undefined;
  /** A bearer token that reads the detailed health report, for monitoring that signs in as no one. */
  healthToken: string | undefined;
  /** Sync runs one worker process carries at once. */
  syncConcurrency: number;
  /**
   * Of those, the slots that take only small districts' runs (always fewer than all of them): by default
   * half, so a burst of large full syncs never keeps a 500-device district waiting for a slot.
   */
  syncReservedSlots: number;
  /**
   * How often a running job proves its process is alive; a job silent for this long (its worker was killed)
   * is handed to another worker.
   */
  jobHeartbeatSeconds: number;
  webDir: string;
  /** Outgoing mail; without an SMTP server, invitation links are shown to the administrator instead. */
  mail: { smtpUrl: string | undefined; from: string };
  /** The OpenID Connect clients districts may enable for sign-in; unset ones are not offered. */
  signInProviders: {
    google: OidcClientConfig & { issuer: string };
    microsoft: OidcClientConfig & { authority: string };
  };
}

export interface OidcClientConfig {
  clientId: string | undefined;
  clientSecret: string | undefined;
}

export class ConfigError extends Error {}

/** `setup`'s administrator password, for scripts: an environment variable is not shown in `ps` as arguments are. */
export function adminPasswordFromEnvironment(
  environment: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return environment.SATCHEL_ADMIN_PASSWORD || undefined;
}

/** The only reader of process.env: everything else receives a Config. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = withProviderVariables(Environment).safeParse(emptyAsUnset(environment));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  if (values.NODE_ENV === 'production' && !values.SATCHEL_SECRET_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  SATCHEL_SECRET_KEY: required when NODE_ENV=production (32 random bytes, base64)',
    );
  }
  const dataDir = path.resolve(values.SATCHEL_DATA_DIR);
  const publicUrl = (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '');
  return {
    env: values.NODE_ENV,
    port: values.PORT,
    host: values.HOST,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    database: values.DATABASE_URL
      ? { kind: 'postgres', url: values.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    uploadDir: path.resolve(values.SATCHEL_UPLOAD_DIR ?? path.join(dataDir, 'uploads')),
    secretKey: values.SATCHEL_SECRET_KEY ? Buffer.from(values.SATCHEL_SECRET_KEY, 'base64') : undefined,
    logLevel: values.LOG_LEVEL,
    trustProxy: values.TRUST_PROXY === 'true',
    role: values.SATCHEL_ROLE,
    healthPort: values.SATCHEL_HEALTH_PORT,
    healthToken: values.SATCHEL_HEALTH_TOKEN,
    syncConcurrency: values.SATCHEL_SYNC_CONCURRENCY,
    syncReservedSlots: Math.min(
      values.SATCHEL_SYNC_RESERVED_SLOTS ?? Math.floor(values.SATCHEL_SYNC_CONCURRENCY / 2),
      values.SATCHEL_SYNC_CONCURRENCY - 1,
    ),
    jobHeartbeatSeconds: values.SATCHEL_JOB_HEARTBEAT_SECONDS,
    previousSecretKeys: (values.SATCHEL_PREVIOUS_SECRET_KEYS ?? '')
      .split(',')
      .filter((key) => key.trim() !== '')
      .map((key) => Buffer.from(key.trim(), 'base64')),
    providers: Object.fromEntries(
      providers.flatMap((provider) =>
        provider.config ? [[provider.key, provider.config.read(values as Record<string, unknown>)]] : [],
      ),
    ),
    allowPrivateProviderUrls: values.SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS === 'true',
    webDir: path.resolve(import.meta.dirname, '../../dist/web'),
    mail: { smtpUrl: values.SMTP_URL, from: values.MAIL_FROM },
    signInProviders: {
      google: {
        clientId: values.GOOGLE_OIDC_CLIENT_ID,
        clientSecret: values.GOOGLE_OIDC_CLIENT_SECRET,
        issuer: values.GOOGLE_OIDC_ISSUER.replace(/\/+$/, ''),
      },
      microsoft: {
        clientId: values.MICROSOFT_OIDC_CLIENT_ID,
        clientSecret: values.MICROSOFT_OIDC_CLIENT_SECRET,
        authority: values.MICROSOFT_OIDC_AUTHORITY.replace(/\/+$/, ''),
      },
    },
  };
}

/** The shared variables and every provider's own, checked together so one message names every bad value. */
function withProviderVariables(shared: typeof Environment): typeof Environment {
  const own = providers.flatMap((provider) => (provider.config ? [provider.config.environment.shape] : []));
  // Typed as the shared schema: each provider reads its own variables back through its `read`.
  return shared.extend(Object.assign({}, ...own)) as unknown as typeof Environment;
}

function emptyAsUnset(environment: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
}
