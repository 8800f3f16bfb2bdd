import { type AuthorizationFailure, isAuthorizationFailure } from '../../../common/mdm-authorization.ts';
import { type AppError, Conflict, ProviderError } from '../../errors.ts';

/** The code the OAuth callback sends MDM Settings for a failed authorization; the page has the message. */
export function authorizationFailureOf(
  error: AppError,
  query: { error?: string | undefined },
): AuthorizationFailure {
  const details = error.details as { reason?: string; refusal?: string } | undefined;
  if (isAuthorizationFailure(details?.reason)) return details.reason;
  if (details?.refusal === 'licence') return 'not_licensed';
  if (query.error === 'access_denied') return 'access_denied';
  if (query.error) return 'provider_refused';
  if (error instanceof ProviderError) return 'provider_error';
  if (error instanceof Conflict) return 'not_active';
  return 'failed';
}
