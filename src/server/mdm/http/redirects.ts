import { ProviderError } from '../../errors.ts';

/**
 * Satchel never follows a provider's redirect: the place it points to was checked by no one, and a public
 * server could use one to send Satchel to an internal address (see provider-url.ts). Node's HTTP client does
 * not follow redirects by itself; the helper that reads a provider's answers calls this on each one, so a
 * 3xx fails the request with a message that says what happened.
 */
export function refuseRedirect(status: number, location: string | undefined): void {
  if (status < 300 || status >= 400) return;
  const target = location ? ` to ${location}` : '';
  throw new ProviderError(
    'unavailable',
    `The provider answered ${status}, a redirect${target}; Satchel does not follow redirects, so check the provider URL`,
    { rule: 'redirect', status },
  );
}
