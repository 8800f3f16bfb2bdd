import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import * as client from 'openid-client';
import type { SignInMethods, SignInProvider } from '../../common/sign-in.ts';
import { insertAuditEvent } from '../audit/queries.ts';
import type { NewSession } from '../auth/sessions.ts';
import { enabledProviders } from '../auth/sign-in-options.ts';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import { admit, checkOrganization, type Refusal, SignInRefused, type VerifiedClaims } from './admission.ts';
import { FLOW_TTL_MS, type FlowState, openFlowState, sealFlowState } from './flow-state.ts';
import { oidcClient } from './oidc-clients.ts';
import * as queries from './queries.ts';

export interface FlowDeps {
  db: Kysely<DB>;
  config: Config;
  secretKey: Buffer;
  log: FastifyBaseLogger;
}

export function callbackUrl(config: Config, provider: SignInProvider): string {
  return `${config.publicUrl}/api/v1/sign-in/${provider}/callback`;
}

/**
 * The district an email belongs to, by its domain among those districts declared (so the answer never depends
 * on whether the account exists), or the installation's only district.
 */
async function policyForEmail(db: Kysely<DB>, email: string): Promise<queries.SignInPolicyRow | undefined> {
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  const [matched] = domain ? await queries.findPoliciesByDomain(db, domain) : [];
  if (matched) return matched;
  const only = await queries.onlyDistrictId(db);
  return only ? queries.findSignInPolicy(db, only) : undefined;
}

export async function signInMethods(db: Kysely<DB>, email: string | undefined): Promise<SignInMethods> {
  const policy = email
    ? await policyForEmail(db, email)
    : await queries.onlyDistrictId(db).then((id) => (id ? queries.findSignInPolicy(db, id) : undefined));
  return { providers: policy ? enabledProviders(policy) : [] };
}

/** Where to send the browser (`email` may be empty in an installation of one district), and the signed state it carries there and back (state, nonce, PKCE verifier). */
export async function startSignIn(
  deps: FlowDeps,
  provider: SignInProvider,
  email: string,
): Promise<{ redirectTo: string; sealedState: string }> {
  const policy = await policyForEmail(deps.db, email);
  if (!policy || !enabledProviders(policy).includes(provider)) throw new SignInRefused('not_enabled');
  const configuration = await oidcClient(deps.config, provider, policy.microsoft_tenant_id);
  const flow: FlowState = {
    provider,
    districtId: policy.district_id,
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    expires: Date.now() + FLOW_TTL_MS,
  };
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: callbackUrl(deps.config, provider),
    scope: 'openid email profile',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
    code_challenge_method: 'S256',
    ...(email ? { login_hint: email } : {}),
    // A hint for Google's account chooser only: the `hd` claim of the verified token is what is checked.
    ...(provider === 'google' && policy.allowed_domains.length === 1
      ? { hd: policy.allowed_domains[0] }
      : {}),
  });
  return { redirectTo: url.href, sealedState: sealFlowState(deps.secretKey, flow) };
}

/** The provider sent the browser back: exchange the code, verify the ID token, and admit or refuse. */
export async function finishSignIn(
  deps: FlowDeps,
  provider: SignInProvider,
  input: { currentUrl: URL; sealedState: string | undefined; ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const flow = openFlowState(deps.secretKey, input.sealedState);
  if (!flow || flow.provider !== provider) throw new SignInRefused('cancelled');
  const policy = await queries.findSignInPolicy(deps.db, flow.districtId);
  try {
    const claims = await verifiedClaims(deps, provider, policy, flow, input.currentUrl);
    checkOrganization(provider, policy, claims);
    return await admit(deps.db, provider, policy, claims, input);
  } catch (error) {
    const reason = error instanceof SignInRefused ? error.reason : refusalOf(error);
    if (!(error instanceof SignInRefused)) deps.log.info({ err: error, provider }, 'single sign-on refused');
    await insertAuditEvent(deps.db, {
      districtId: flow.districtId,
      actorUserId: null,
      actorLabel: provider,
      action: 'auth.sign_in_refused',
      subjectType: null,
      subjectId: null,
      details: { via: provider, reason, userAgent: input.userAgent },
      ip: input.ip,
    });
    throw new SignInRefused(reason);
  }
}

async function verifiedClaims(
  deps: FlowDeps,
  provider: SignInProvider,
  policy: queries.SignInPolicyRow,
  flow: FlowState,
  currentUrl: URL,
): Promise<VerifiedClaims> {
  const configuration = await oidcClient(deps.config, provider, policy.microsoft_tenant_id);
  if (currentUrl.searchParams.has('error')) throw new SignInRefused('cancelled');
  const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new SignInRefused('token_invalid');
  const email = String(claims.email ?? claims.preferred_username ?? '');
  if (!email.includes('@')) throw new SignInRefused('no_account');
  return {
    email: email.toLowerCase(),
    name: String(claims.name ?? ''),
    emailVerified: claims.email_verified === true,
    hd: typeof claims.hd === 'string' ? claims.hd : undefined,
    tid: typeof claims.tid === 'string' ? claims.tid : undefined,
  };
}

/** openid-client's reasons for refusing an ID token, in the sign-in page's words. */
function refusalOf(error: unknown): Refusal {
  const message = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : '';
  if (/"aud"|audience/i.test(message)) return 'token_audience';
  if (/"exp"|expired/i.test(message)) return 'token_expired';
  if (/signature/i.test(message)) return 'token_signature';
  if (/nonce/i.test(message)) return 'token_nonce';
  return 'token_invalid';
}
