import type { Kysely } from 'kysely';
import type { SignInSettings, UpdateSignInSettings } from '../../common/sign-in.ts';
import { recordAudit } from '../audit/service.ts';
import type { Config } from '../config.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { Invalid } from '../errors.ts';
import * as queries from './queries.ts';

function toSettings(
  policy: queries.SignInPolicyRow,
  config: Config,
  firstAdmin: { id: string; email: string } | undefined,
): SignInSettings {
  return {
    google: { enabled: policy.google_enabled, configured: Boolean(config.signInProviders.google.clientId) },
    microsoft: {
      enabled: policy.microsoft_enabled,
      configured: Boolean(config.signInProviders.microsoft.clientId),
      tenantId: policy.microsoft_tenant_id,
    },
    allowedDomains: policy.allowed_domains,
    jitAccounts: policy.jit_accounts,
    defaultRole: policy.default_role,
    passwordSignIn: policy.password_sign_in,
    firstAdmin: firstAdmin ?? null,
  };
}

export async function readSignInSettings(
  ctx: RequestContext,
  db: Kysely<DB>,
  config: Config,
): Promise<SignInSettings> {
  const policy = await queries.findSignInPolicy(db, ctx.districtId);
  return toSettings(policy, config, await queries.findFirstAdmin(db, ctx.districtId));
}

/** Every change is audited with the fields that changed, before and after. */
export async function changeSignInSettings(
  ctx: RequestContext,
  db: Kysely<DB>,
  config: Config,
  input: UpdateSignInSettings,
): Promise<SignInSettings> {
  const next: queries.SignInPolicyRow = {
    district_id: ctx.districtId,
    google_enabled: input.googleEnabled,
    microsoft_enabled: input.microsoftEnabled,
    microsoft_tenant_id: input.microsoftTenantId?.toLowerCase() ?? null,
    allowed_domains: [...new Set(input.allowedDomains.map((domain) => domain.trim().toLowerCase()))],
    jit_accounts: input.jitAccounts,
    default_role: input.defaultRole,
    password_sign_in: input.passwordSignIn,
  };
  checkPolicy(next, config);
  return db.transaction().execute(async (trx) => {
    const before = await queries.findSignInPolicy(trx, ctx.districtId);
    await queries.saveSignInPolicy(trx, next);
    const changes = Object.fromEntries(
      Object.entries(next)
        .filter(
          ([field, value]) => JSON.stringify(value) !== JSON.stringify(before[field as keyof typeof before]),
        )
        .map(([field, value]) => [field, { from: before[field as keyof typeof before], to: value }]),
    );
    await recordAudit(ctx, trx, {
      action: 'district.sign_in_changed',
      subjectType: 'district',
      subjectId: ctx.districtId,
      details: { changes },
    });
    return toSettings(next, config, await queries.findFirstAdmin(trx, ctx.districtId));
  });
}

function checkPolicy(policy: queries.SignInPolicyRow, config: Config): void {
  const problems: { path: string; message: string }[] = [];
  if (policy.google_enabled && !config.signInProviders.google.clientId)
    problems.push({
      path: 'googleEnabled',
      message: 'This server has no Google client (GOOGLE_OIDC_CLIENT_ID)',
    });
  if (policy.microsoft_enabled && !config.signInProviders.microsoft.clientId)
    problems.push({
      path: 'microsoftEnabled',
      message: 'This server has no Microsoft client (MICROSOFT_OIDC_CLIENT_ID)',
    });
  if (policy.google_enabled && policy.allowed_domains.length === 0)
    problems.push({ path: 'allowedDomains', message: 'Google sign-in needs at least one of your domains' });
  if (policy.microsoft_enabled && !policy.microsoft_tenant_id)
    problems.push({
      path: 'microsoftTenantId',
      message: "Microsoft sign-in needs your Entra ID tenant's id",
    });
  if (policy.password_sign_in === 'first_admin' && !policy.google_enabled && !policy.microsoft_enabled)
    problems.push({
      path: 'passwordSignIn',
      message: 'Turn on Google or Microsoft sign-in before switching passwords off',
    });
  const [first] = problems;
  if (first) throw new Invalid(first.message, problems);
}
