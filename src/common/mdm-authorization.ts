/**
 * Why a browser authorization ended without connecting the provider. The OAuth callback sends the browser back
 * to MDM Settings with one of these codes (`?error=<code>`) and the page shows the matching message: the
 * address can be written by anyone, so the page never shows text taken from it. The exact cause is in the
 * server's log.
 */
export const AUTHORIZATION_FAILURES = {
  session_ended: () => 'Your session ended before the provider sent you back; sign in and authorize again.',
  access_denied: (provider: string) =>
    `Access was denied on ${provider}’s consent screen; nothing was changed.`,
  provider_refused: (provider: string) =>
    `${provider} did not complete the authorization; nothing was changed. Start it again.`,
  state_invalid: () =>
    'This authorization response is invalid, expired, already used, or was started in another session; start the authorization again.',
  other_browser: () =>
    'Authorization has to be completed in the browser that started it; start it again here.',
  scope_missing: (provider: string) =>
    `${provider} did not grant read access to devices; authorize again and allow it.`,
  consent_unconfirmed: (provider: string) =>
    `${provider} did not confirm the administrator’s consent; start the authorization again.`,
  wrong_tenant: () =>
    'The consent was given in another Microsoft tenant than the district’s: sign in as an administrator of the district’s tenant and authorize again.',
  consent_pending: (provider: string) =>
    `${provider} refused Satchel’s access after the consent: a permission is missing, or the new consent is not applied yet (that can take a minute). Wait a minute and authorize again.`,
  not_licensed: (provider: string) =>
    `${provider} is not available in the district’s tenant: it needs a licence there before Satchel can read devices.`,
  not_active: (provider: string) => `Activate ${provider} before authorizing it.`,
  provider_error: (provider: string) =>
    `${provider} answered with an error; wait a minute and authorize again. If it keeps failing, the server log says why.`,
  failed: (provider: string) =>
    `The authorization of ${provider} did not complete; start it again. If it keeps failing, the server log says why.`,
} as const satisfies Record<string, (provider: string) => string>;

export type AuthorizationFailure = keyof typeof AUTHORIZATION_FAILURES;

export function isAuthorizationFailure(code: string | null | undefined): code is AuthorizationFailure {
  return code != null && Object.hasOwn(AUTHORIZATION_FAILURES, code);
}

/** The message for a code; an unknown code (a hand-made address) gets the general one, never its own text. */
export function authorizationFailureMessage(code: string, provider: string): string {
  return AUTHORIZATION_FAILURES[isAuthorizationFailure(code) ? code : 'failed'](provider);
}
