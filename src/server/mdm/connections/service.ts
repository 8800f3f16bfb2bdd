import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type ProviderKey, type ProviderTile, SYNCING_STATES } from '../../../common/mdm.ts';
import { recordAudit } from '../../audit/service.ts';
import type { Config } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import type { ConnectionState, DB, MdmConnectionRow } from '../../db/schema.ts';
import { AppError, Conflict, Invalid, NotFound } from '../../errors.ts';
import type { JobQueue } from '../../jobs/boss.ts';
import {
  decryptSecret,
  encryptSecret,
  rewrapSecret,
  type SecretPlace,
  SecretUnreadable,
} from '../../secrets/envelope.ts';
import type { Keyring } from '../../secrets/keyring.ts';
import type { Authorization, ProviderDefinition, ProviderDeps, ProviderSettings } from '../provider.ts';
import { deleteProviderRecords } from '../records/queries.ts';
import { providerByKey, providers } from '../registry.ts';
import { cancelQueuedRuns, openRun } from '../sync/runs.ts';
import { requestSync } from '../sync/trigger.ts';
import { queueRevocation } from './jobs.ts';
import { consumeOauthStateOrThrow, createOauthState } from './oauth-state.ts';
import * as queries from './queries.ts';

export interface ConnectionDeps {
  db: Kysely<DB>;
  keyring: Keyring;
  config: Config;
  /** Absent in processes without a job queue; then a failed revocation is only logged. */
  jobs?: JobQueue | undefined;
}

function providerDeps(ctx: RequestContext, deps: ConnectionDeps): ProviderDeps {
  return { config: deps.config, log: ctx.log };
}

function secretPlace(row: Pick<MdmConnectionRow, 'id' | 'district_id'>): SecretPlace {
  return { table: 'mdm_connections', rowId: row.id, districtId: row.district_id, field: 'secret' };
}

export function redirectUriFor(config: Config, provider: ProviderKey): string {
  // OA-2: built from configuration only, never from the request's Host headers.
  return `${config.publicUrl}/api/v1/mdm/providers/${provider}/oauth/callback`;
}

type ActiveRun = ProviderTile['activeRun'];

/** The ways the tile offers to authorize: the browser flow first where the provider has one. */
function authMethodsOf(provider: ProviderDefinition, config: Config): ProviderTile['authMethods'] {
  const { browserAuth, credentials } = provider;
  return [
    ...(browserAuth
      ? [
          {
            key: browserAuth.method,
            kind: 'browser' as const,
            unavailableReason: browserAuth.unavailableReason(config),
          },
        ]
      : []),
    ...(credentials
      ? [{ key: credentials.method, kind: 'credentials' as const, unavailableReason: null }]
      : []),
  ];
}

function toTile(
  provider: ProviderDefinition,
  config: Config,
  row: MdmConnectionRow | undefined,
  activeRun: ActiveRun = null,
): ProviderTile {
  return {
    key: provider.key,
    name: provider.name,
    description: provider.description,
    guideUrl: `/${provider.guide}`,
    authMethods: authMethodsOf(provider, config),
    // Only providers that take a district-entered address (and check it) are affected by the setting.
    privateUrlsAllowed: config.allowPrivateProviderUrls && provider.checkSettings !== undefined,
    state: row?.state ?? 'inactive',
    statusReason: row?.status_reason ?? null,
    statusChangedAt: row?.status_changed_at.toISOString() ?? null,
    settings: row ? row.settings : null,
    authorizedAccount: row?.authorized_account ?? null,
    authorizedAt: row?.authorized_at?.toISOString() ?? null,
    hasStoredAuthorization: Boolean(row?.secret),
    lastSync: row?.last_sync ?? null,
    nextSyncAt: row && SYNCING_STATES.includes(row.state) ? (row.next_sync_at?.toISOString() ?? null) : null,
    activeRun,
  };
}

async function activeRunOf(db: Kysely<DB>, row: MdmConnectionRow | undefined): Promise<ActiveRun> {
  if (!row) return null;
  const run = await openRun(db, row.id);
  return run
    ? {
        id: run.id,
        state: run.state as 'queued' | 'running',
        counters: run.counters as Record<string, number>,
      }
    : null;
}

export async function listTiles(ctx: RequestContext, deps: ConnectionDeps): Promise<ProviderTile[]> {
  const rows = await queries.listConnections(deps.db, ctx.districtId);
  return Promise.all(
    providers.map(async (provider) => {
      const row = rows.find((candidate) => candidate.provider === provider.key);
      return toTile(provider, deps.config, row, await activeRunOf(deps.db, row));
    }),
  );
}

export async function getTile(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
): Promise<ProviderTile> {
  const provider = providerByKey(key);
  const row = await queries.findConnection(deps.db, ctx.districtId, key);
  return toTile(provider, deps.config, row, await activeRunOf(deps.db, row));
}

/**
 * The provider's settings with defaults filled in, checked by its schema and then by its own asynchronous check
 * (a district-entered URL is resolved and its addresses checked).
 */
async function parseSettings(
  ctx: RequestContext,
  deps: ConnectionDeps,
  provider: ProviderDefinition,
  raw: Record<string, unknown>,
): Promise<ProviderSettings> {
  const parsed = provider.settings.safeParse(raw);
  if (!parsed.success) throw invalidFields('The settings are not valid', 'settings', parsed.error.issues);
  await provider.checkSettings?.(providerDeps(ctx, deps), parsed.data);
  return parsed.data;
}

function invalidFields(
  message: string,
  root: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Invalid {
  return new Invalid(
    message,
    issues.map((issue) => ({ path: [root, ...issue.path.map(String)].join('.'), message: issue.message })),
  );
}

/** The settings were checked against the connection as read before it was locked: it must not have changed. */
function assertUnchangedSince(before: MdmConnectionRow | undefined, locked: MdmConnectionRow | undefined) {
  if (JSON.stringify(before?.settings ?? null) !== JSON.stringify(locked?.settings ?? null))
    throw new Conflict('The settings were changed by someone else meanwhile; reload and try again');
}

function stateChange(state: ConnectionState, reason: string | null) {
  return { state, status_reason: reason, status_changed_at: new Date() };
}

/** Starts (or resumes) a provider: settings are validated and stored; it is active once authorized. */
export async function activate(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
  raw: Record<string, unknown>,
): Promise<ProviderTile> {
  const provider = providerByKey(key);
  const before = await queries.findConnection(deps.db, ctx.districtId, key);
  // Re-activating reuses the stored settings unless new ones are given. They are checked before the
  // connection is locked: a provider's check may resolve a district-entered address, which takes a while.
  const settings = await parseSettings(
    ctx,
    deps,
    provider,
    Object.keys(raw).length === 0 && before ? before.settings : raw,
  );
  return deps.db.transaction().execute(async (trx) => {
    const existing = await queries.lockConnection(trx, ctx.districtId, key);
    if (existing && existing.state !== 'inactive')
      throw new Conflict(`${provider.name} is already activated`);
    assertUnchangedSince(before, existing);
    const reusable = existing?.secret && existing.auth_method === settings.authMethod;
    const next = reusable ? stateChange('active', null) : stateChange('needs_authorization', null);
    const row = existing
      ? await queries.updateConnection(trx, existing.id, {
          ...next,
          settings: JSON.stringify(settings),
          // A re-activated, still authorized connection syncs at the next scheduler tick.
          next_sync_at: reusable ? new Date() : null,
        })
      : await queries.insertConnection(trx, {
          id: randomUUID(),
          districtId: ctx.districtId,
          provider: key,
          state: next.state,
          settings,
        });
    await recordAudit(ctx, trx, {
      action: 'mdm.activated',
      subjectType: 'mdm_provider',
      subjectId: key,
      details: { settings, state: row.state },
    });
    return toTile(provider, deps.config, row);
  });
}

export async function updateSettings(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
  raw: Record<string, unknown>,
): Promise<ProviderTile> {
  const provider = providerByKey(key);
  const before = await queries.findConnection(deps.db, ctx.districtId, key);
  if (!before) throw new Conflict(`Activate ${provider.name} first`);
  const settings = await parseSettings(ctx, deps, provider, { ...before.settings, ...raw });
  return deps.db.transaction().execute(async (trx) => {
    const existing = await queries.lockConnection(trx, ctx.districtId, key);
    if (!existing) throw new Conflict(`Activate ${provider.name} first`);
    assertUnchangedSince(before, existing);
    const changes = Object.fromEntries(
      Object.entries(settings)
        .filter(([field, value]) => JSON.stringify(existing.settings[field]) !== JSON.stringify(value))
        .map(([field, value]) => [field, { from: existing.settings[field] ?? null, to: value }]),
    );
    const methodChanged =
      existing.settings.authMethod !== settings.authMethod && existing.state !== 'inactive';
    const row = await queries.updateConnection(trx, existing.id, {
      settings: JSON.stringify(settings),
      ...(methodChanged ? stateChange('needs_authorization', 'The authorization method changed') : {}),
    });
    await recordAudit(ctx, trx, {
      action: 'mdm.settings_changed',
      subjectType: 'mdm_provider',
      subjectId: key,
      details: { changes },
    });
    return toTile(provider, deps.config, row);
  });
}

async function requireAuthorizable(deps: ConnectionDeps, ctx: RequestContext, provider: ProviderDefinition) {
  const row = await queries.findConnection(deps.db, ctx.districtId, provider.key);
  if (!row || row.state === 'inactive') throw new Conflict(`Activate ${provider.name} before authorizing it`);
  return row;
}

export async function startAuthorization(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
  sessionId: string | undefined,
): Promise<{ authorizationUrl: string }> {
  const provider = providerByKey(key);
  const { browserAuth } = provider;
  if (!browserAuth) throw new Invalid(`${provider.name} is not authorized through a browser sign-in`);
  if (!sessionId || !ctx.userId)
    throw new Invalid('Authorization has to be started from a signed-in browser');
  const unavailable = browserAuth.unavailableReason(deps.config);
  if (unavailable) throw new Invalid(unavailable);
  const row = await requireAuthorizable(deps, ctx, provider);
  const { state, codeChallenge } = await createOauthState(deps.db, deps.keyring, {
    districtId: ctx.districtId,
    userId: ctx.userId,
    sessionId,
    provider: key,
  });
  const authorizationUrl = browserAuth.authorizationUrl(providerDeps(ctx, deps), {
    state,
    codeChallenge,
    redirectUri: redirectUriFor(deps.config, key),
    settings: settingsOf(provider, row),
  });
  await recordAudit(ctx, deps.db, {
    action: 'mdm.authorization_started',
    subjectType: 'mdm_provider',
    subjectId: key,
  });
  return { authorizationUrl };
}

/** What a provider sends the browser back with: OAuth's code, or Microsoft admin consent's tenant. */
export const CallbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  scope: z.string().max(2000).optional(),
  tenant: z.string().max(200).optional(),
  admin_consent: z.string().max(20).optional(),
});

/** The browser comes back from the provider: the state must be this session's, unused and fresh. */
export async function completeAuthorization(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
  sessionId: string | undefined,
  response: z.infer<typeof CallbackQuery>,
): Promise<ProviderTile> {
  const provider = providerByKey(key);
  const { browserAuth } = provider;
  if (!browserAuth)
    throw new Invalid(`${provider.name} is not authorized through a browser sign-in`, {
      reason: 'other_browser',
    });
  const codeVerifier = await refusedAuthorizationAudited(ctx, deps, key, async () => {
    if (!sessionId)
      throw new Invalid('Authorization has to be completed in the browser that started it', {
        reason: 'other_browser',
      });
    return consumeOauthStateOrThrow(deps.db, deps.keyring, {
      state: response.state,
      districtId: ctx.districtId,
      sessionId,
      provider: key,
    });
  });
  if (response.error) {
    await recordAudit(ctx, deps.db, {
      action: 'mdm.authorization_refused',
      subjectType: 'mdm_provider',
      subjectId: key,
      details: { error: response.error },
    });
    throw new Invalid(
      response.error === 'access_denied'
        ? `Access was denied on ${provider.name}’s consent screen; nothing was changed`
        : `${provider.name} did not complete the authorization (${response.error})`,
    );
  }
  const row = await requireAuthorizable(deps, ctx, provider);
  // The provider checks the PKCE verifier when it exchanges the code: its refusal is audited too.
  const authorization = await refusedAuthorizationAudited(ctx, deps, key, () =>
    browserAuth.complete(providerDeps(ctx, deps), {
      query: response,
      codeVerifier,
      redirectUri: redirectUriFor(deps.config, key),
      settings: settingsOf(provider, row),
    }),
  );
  return storeAuthorization(ctx, deps, provider, row, authorization, browserAuth.method);
}

/** `POST …/credentials`: the provider checks them with one call that needs device access, then they are stored. */
export async function submitCredentials(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
  body: Record<string, unknown>,
): Promise<ProviderTile> {
  const provider = providerByKey(key);
  const { credentials } = provider;
  if (!credentials) throw new Invalid(`${provider.name} is authorized in the browser, not with credentials`);
  const row = await requireAuthorizable(deps, ctx, provider);
  const authorization = await refusedAuthorizationAudited(ctx, deps, key, async () => {
    const parsed = credentials.schema.safeParse(body);
    if (!parsed.success)
      throw invalidFields('The credentials are not valid', 'credentials', parsed.error.issues);
    return credentials.accept(providerDeps(ctx, deps), parsed.data, settingsOf(provider, row));
  });
  return storeAuthorization(ctx, deps, provider, row, authorization, credentials.method);
}

/**
 * Runs one step of an authorization; when it is refused (a state or PKCE check fails, the provider turns the
 * credentials down), the refusal is audited with its reason before the error goes back to the browser.
 */
async function refusedAuthorizationAudited<T>(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const reason = error instanceof AppError ? error.code : 'internal';
    const message = error instanceof Error ? error.message.slice(0, 300) : String(error);
    await recordAudit(ctx, deps.db, {
      action: 'mdm.authorization_rejected',
      subjectType: 'mdm_provider',
      subjectId: key,
      details: { reason, message },
    });
    throw error;
  }
}

/** A stored connection's settings as its provider reads them (defaults for fields added since they were saved). */
function settingsOf(provider: ProviderDefinition, row: MdmConnectionRow): ProviderSettings {
  return provider.settings.parse(row.settings);
}

async function storeAuthorization(
  ctx: RequestContext,
  deps: ConnectionDeps,
  provider: ProviderDefinition,
  row: MdmConnectionRow,
  authorization: Authorization,
  method: string,
): Promise<ProviderTile> {
  const secret = encryptSecret(deps.keyring, authorization.secret, secretPlace(row));
  const intervalMinutes = Number(row.settings.intervalMinutes ?? 360);
  const tile = await deps.db.transaction().execute(async (trx) => {
    const updated = await queries.updateConnection(trx, row.id, {
      ...stateChange('active', null),
      secret,
      secret_key_id: deps.keyring.current.id,
      access_cache: authorization.accessCache
        ? encryptSecret(deps.keyring, authorization.accessCache, {
            ...secretPlace(row),
            field: 'access_cache',
          })
        : null,
      auth_method: method,
      authorized_account: authorization.account,
      authorized_at: new Date(),
      granted_scopes: authorization.grantedScopes.join(' '),
      settings: JSON.stringify({ ...row.settings, authMethod: method }),
      next_sync_at: new Date(Date.now() + intervalMinutes * 60_000),
    });
    await recordAudit(ctx, trx, {
      action: 'mdm.authorized',
      subjectType: 'mdm_provider',
      subjectId: provider.key,
      details: { method, account: authorization.account, scopes: authorization.grantedScopes },
    });
    return toTile(provider, deps.config, updated);
  });
  // The first sync starts right away; the schedule takes over from there.
  if (deps.jobs) {
    await requestSync(
      { db: deps.db, jobs: deps.jobs },
      { id: row.id, districtId: row.district_id, provider: provider.key },
      'authorization',
    );
  }
  return tile;
}

export async function deactivate(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
): Promise<ProviderTile> {
  const provider = providerByKey(key);
  return deps.db.transaction().execute(async (trx) => {
    const row = await queries.lockConnection(trx, ctx.districtId, key);
    if (!row || row.state === 'inactive') throw new Conflict(`${provider.name} is not active`);
    const updated = await queries.updateConnection(trx, row.id, {
      ...stateChange('inactive', `Deactivated by ${ctx.actorLabel}`),
      next_sync_at: null,
      // Nothing is sent to the provider while inactive: no reason to keep a live access token.
      access_cache: null,
    });
    await cancelQueuedRuns(trx, row.id);
    await recordAudit(ctx, trx, {
      action: 'mdm.deactivated',
      subjectType: 'mdm_provider',
      subjectId: key,
      details: { previousState: row.state },
    });
    return toTile(provider, deps.config, updated);
  });
}

/**
 * Deactivates, revokes the stored authorization at the provider, and deletes it here even if revocation fails,
 * with every record the provider's syncs attached to the district's devices.
 */
export async function disconnect(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
): Promise<ProviderTile> {
  const provider = providerByKey(key);
  const row = await queries.findConnection(deps.db, ctx.districtId, key);
  if (!row) throw new NotFound('Connection');
  let revoked: boolean | 'not_applicable' | 'retrying' = 'not_applicable';
  const { browserAuth } = provider;
  if (row.secret && browserAuth && row.auth_method === browserAuth.method) {
    let secret: string | undefined;
    try {
      secret = decryptSecret(deps.keyring, row.secret, secretPlace(row));
      await browserAuth.revoke(providerDeps(ctx, deps), secret);
      revoked = true;
    } catch (error) {
      revoked = false;
      ctx.log.warn(
        {
          provider: key,
          reason: error instanceof SecretUnreadable ? 'unreadable secret' : String((error as Error).message),
        },
        'revocation failed',
      );
      if (secret && deps.jobs) {
        await queueRevocation(deps.jobs, deps.keyring, { districtId: ctx.districtId, provider: key, secret });
        revoked = 'retrying';
      }
    }
  }
  return deps.db.transaction().execute(async (trx) => {
    const updated = await queries.updateConnection(trx, row.id, {
      ...stateChange('inactive', `Disconnected by ${ctx.actorLabel}`),
      next_sync_at: null,
      secret: null,
      secret_key_id: null,
      access_cache: null,
      authorized_account: null,
      authorized_at: null,
      granted_scopes: null,
    });
    await cancelQueuedRuns(trx, row.id);
    // What the provider told us goes with the authorization (a page still being written is purged hourly).
    const removed = await deleteProviderRecords(trx, ctx.districtId, key);
    await recordAudit(ctx, trx, {
      action: 'mdm.disconnected',
      subjectType: 'mdm_provider',
      subjectId: key,
      details: { revoked, removed },
    });
    return toTile(provider, deps.config, updated);
  });
}

/**
 * Re-encrypts every stored connection secret's data key under the ring's current key, one row at a time with
 * compare-and-set, so an interrupted run leaves each row readable under the old or the new key.
 */
export async function rewrapConnectionSecrets(
  db: Kysely<DB>,
  keyring: Keyring,
  afterEach: () => void = () => {},
): Promise<{ rewrapped: number; unchanged: number }> {
  let rewrapped = 0;
  let unchanged = 0;
  for (const row of await queries.connectionsWithSecrets(db)) {
    if (!row.secret) continue;
    let next: string;
    try {
      next = rewrapSecret(keyring, row.secret, secretPlace(row));
    } catch (error) {
      if (!(error instanceof SecretUnreadable)) throw error;
      throw new Invalid(
        `The secret of connection ${row.id} cannot be read with the configured keys (${error.message}); ` +
          'add the key it was written with to SATCHEL_PREVIOUS_SECRET_KEYS and run rotate-key again',
      );
    }
    if (next === row.secret) unchanged++;
    else if (await queries.replaceSecret(db, row.id, row.secret, next, keyring.current.id)) rewrapped++;
    afterEach();
  }
  return { rewrapped, unchanged };
}

/** Remove synced data: every record this provider attached to the district's devices. */
export async function removeSyncedData(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
): Promise<{ removed: number }> {
  providerByKey(key);
  return deps.db.transaction().execute(async (trx) => {
    const removed = await deleteProviderRecords(trx, ctx.districtId, key);
    // A run under way may still write a page; the hourly purge removes what runs begun before now write.
    await queries.markDataRemoved(trx, ctx.districtId, key);
    await recordAudit(ctx, trx, {
      action: 'mdm.data_removed',
      subjectType: 'mdm_provider',
      subjectId: key,
      details: { removed },
    });
    return { removed };
  });
}

/** Org units Satchel has already seen from the provider, for the settings form to offer. */
export async function seenOrgUnits(
  ctx: RequestContext,
  deps: ConnectionDeps,
  key: ProviderKey,
): Promise<string[]> {
  return queries.seenOrgUnits(deps.db, ctx.districtId, key);
}
