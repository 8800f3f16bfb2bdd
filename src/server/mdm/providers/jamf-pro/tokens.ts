import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ProviderDeps } from '../../provider.ts';
import { JamfRefusal, MalformedAnswer, sendToJamf } from './answers.ts';
import { type ApiClient, instanceOf } from './api-client.ts';

/**
 * Jamf Pro hands API clients bearer tokens at `/api/oauth/token` (Jamf's guide, Jamf Pro 10.49 and later);
 * newer versions also answer at `/api/v1/oauth/token`, where the Jamf Pro SDK now asks. The first is tried
 * first, the second on a 404, and whichever answered is remembered for the instance.
 */
export const TOKEN_PATHS = ['/api/oauth/token', '/api/v1/oauth/token'] as const;
export type TokenPath = (typeof TOKEN_PATHS)[number];

/** A token as held between requests, and as kept between runs and processes (the access cache). */
export const HeldToken = z.object({
  instance: z.string(),
  clientId: z.string(),
  tokenPath: z.enum(TOKEN_PATHS),
  accessToken: z.string().min(1),
  /** Milliseconds since the epoch. */
  expiresAt: z.number(),
  lifetimeMs: z.number().positive(),
});
export type HeldToken = z.infer<typeof HeldToken>;

const TokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

/**
 * There are no refresh tokens: a new token is asked for before the one held runs out, a quarter of its lifetime
 * early (at least 5 s, at most a minute), so a request never leaves with a token about to expire.
 */
function renewalMarginMs(token: HeldToken): number {
  return Math.min(60_000, Math.max(5_000, token.lifetimeMs / 4));
}

export function stillGood(token: HeldToken, now = Date.now()): boolean {
  return token.expiresAt - now > renewalMarginMs(token);
}

const answeringPaths = new Map<string, TokenPath>();

async function postToken(deps: ProviderDeps, client: ApiClient, path: TokenPath, signal: AbortSignal) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  return sendToJamf(
    deps,
    {
      method: 'POST',
      url: `${client.baseUrl}${path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    },
    signal,
  );
}

/** One token from the instance's token endpoint (two requests when the first path answers 404). */
export async function requestToken(
  deps: ProviderDeps,
  client: ApiClient,
  signal: AbortSignal,
): Promise<HeldToken> {
  const instance = instanceOf(client.baseUrl);
  const known = answeringPaths.get(instance) ?? TOKEN_PATHS[0];
  const other = TOKEN_PATHS.find((path) => path !== known) as TokenPath;
  let path = known;
  let answer = await postToken(deps, client, path, signal);
  if (answer.status === 404) {
    path = other;
    answer = await postToken(deps, client, path, signal);
  }
  if (answer.status !== 200) throw new JamfRefusal(answer, 'token');
  const parsed = TokenAnswer.safeParse(JSON.parse(answer.text));
  if (!parsed.success) throw new MalformedAnswer('Jamf Pro answered the token request without a token');
  answeringPaths.set(instance, path);
  const lifetimeMs = parsed.data.expires_in * 1000;
  return {
    instance,
    clientId: client.clientId,
    tokenPath: path,
    accessToken: parsed.data.access_token,
    expiresAt: Date.now() + lifetimeMs,
    lifetimeMs,
  };
}

interface Holder {
  held: HeldToken | null;
  /** The token request under way, shared by every request that needs one meanwhile. */
  pending: Promise<HeldToken> | null;
}

const holders = new Map<string, Holder>();
const MAX_HOLDERS = 500;

function holderOf(client: ApiClient): Holder {
  const key = createHash('sha256')
    .update(instanceOf(client.baseUrl))
    .update('\0')
    .update(client.clientId)
    .update('\0')
    .update(client.clientSecret)
    .digest('hex');
  let holder = holders.get(key);
  if (!holder) {
    if (holders.size >= MAX_HOLDERS) holders.delete(holders.keys().next().value as string);
    holder = { held: null, pending: null };
    holders.set(key, holder);
  }
  return holder;
}

/** The token this process holds for the client, while it is still good; null otherwise. */
export function heldToken(client: ApiClient): HeldToken | null {
  const { held } = holderOf(client);
  return held && stillGood(held) ? held : null;
}

/** Takes up a token another process kept (the access cache), when it is this client's and outlasts ours. */
export function adoptToken(client: ApiClient, kept: HeldToken): void {
  const holder = holderOf(client);
  const ours = kept.instance === instanceOf(client.baseUrl) && kept.clientId === client.clientId;
  if (!ours || !stillGood(kept) || (holder.held && holder.held.expiresAt >= kept.expiresAt)) return;
  holder.held = kept;
  answeringPaths.set(kept.instance, kept.tokenPath);
}

/**
 * A token for the client's next request: the one held while it is still good (and not the one Jamf Pro just
 * refused, `rejected`), else a new one. `fresh` says it was issued for this request, so a 401 with it means the
 * client itself is refused.
 */
export async function tokenFor(
  deps: ProviderDeps,
  client: ApiClient,
  signal: AbortSignal,
  rejected?: string,
): Promise<{ token: HeldToken; fresh: boolean }> {
  const holder = holderOf(client);
  const held = holder.held;
  if (held && stillGood(held) && held.accessToken !== rejected) return { token: held, fresh: false };
  if (!holder.pending) {
    holder.pending = requestToken(deps, client, signal)
      .then((token) => {
        holder.held = token;
        return token;
      })
      .finally(() => {
        holder.pending = null;
      });
  }
  return { token: await holder.pending, fresh: true };
}
