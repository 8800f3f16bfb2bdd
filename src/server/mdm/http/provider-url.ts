/**
 * Provider URLs a district enters, and why Satchel is careful with them.
 *
 * Jamf Pro and Jamf School live at an address the district gives (`https://district.jamfcloud.com`), so a
 * district admin decides where Satchel's server sends requests. Left unchecked, that lets anyone with the
 * admin role make the server reach what only it can reach: its own admin ports on localhost, databases on
 * the private network, the cloud metadata service that hands out the machine's credentials (server-side
 * request forgery, SSRF). So a provider URL follows these rules:
 *
 * 1. It uses `https`. It carries no user name or password (`https://user:pass@host`: credentials belong in
 *    the connection's secret, and `@` is a classic way to disguise the real host), no `#fragment` and no
 *    `?query` (a base URL has neither).
 * 2. Every address its host stands for is public. A host written as an IP address is judged as written;
 *    the URL parser has already turned `2130706433`, `0177.0.0.1`, `0x7f.1` and `127.1` into `127.0.0.1`.
 *    A name is looked up, and if any one of its addresses is not public the URL is refused. Not public means
 *    loopback, private, link-local, multicast, unspecified, broadcast, reserved, carrier-grade NAT
 *    (100.64.0.0/10), unique-local (fc00::/7) or a cloud metadata address; IPv6 forms that carry an IPv4
 *    address (IPv4-mapped `::ffff:127.0.0.1`, IPv4-compatible, NAT64 `64:ff9b::/96`, 6to4, Teredo) are
 *    judged by that IPv4 address. address-ranges.ts holds this classification.
 * 3. The rules hold on every connection, not only when the URL is saved: a name can point somewhere else
 *    a minute later (DNS rebinding). provider-lookup.ts resolves the name once per connection, checks every
 *    address and hands the socket only the addresses it checked; provider-agents.ts also checks hosts
 *    written as IP addresses, which Node connects to without a lookup.
 * 4. Redirects are never followed (redirects.ts): a public server could otherwise send Satchel anywhere.
 *
 * `allowPrivate` (the deployment's SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS=true) lifts rule 2 and allows
 * `http`, for an on-premises Jamf Pro on the district's own network, tests and demos. Cloud metadata
 * addresses stay refused even then: no provider lives there, and a server in the cloud must not hand out its
 * credentials. Rule 1's other parts still hold.
 *
 * On save a broken rule is `Invalid` (400) naming it; while syncing it is a ProviderError (`unavailable`,
 * which fails the run at once rather than retrying), with the same message.
 */
import { Invalid } from '../../errors.ts';
import {
  type AddressPolicy,
  type AddressRefusal,
  literalAddress,
  type ResolvedAddress,
  refuseLiteral,
  refuseResolved,
  resolveWithDns,
} from './address-policy.ts';

export type { AddressPolicy, Resolve, ResolvedAddress } from './address-policy.ts';

/** Which rule a refused URL broke, in the error's `details.rule`. */
export type UrlRule = 'url' | 'scheme' | 'credentials' | 'fragment' | 'query' | 'resolution' | 'address';

function broken(rule: UrlRule, message: string): Invalid {
  return new Invalid(message, { rule });
}

/** The scheme rule alone, shared with the agents that check it again on every connection. */
export function schemeRefusal(protocol: string, policy: AddressPolicy): string | null {
  if (protocol === 'https:') return null;
  if (protocol === 'http:' && policy.allowPrivate) return null;
  return policy.allowPrivate ? 'The URL must use https or http' : 'The URL must use https';
}

function parse(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw broken('url', 'The URL is not valid; enter it whole, such as https://district.jamfcloud.com');
  }
}

/**
 * Rule 1. It reads `href` for `#` and `?` rather than `hash` and `search`, which are empty for a bare `#` or
 * `?`; the parser escapes both everywhere else in a URL, so in `href` they can only start a fragment or query.
 */
function checkShape(url: URL, policy: AddressPolicy): void {
  const scheme = schemeRefusal(url.protocol, policy);
  if (scheme) throw broken('scheme', scheme);
  if (url.username !== '' || url.password !== '') {
    throw broken('credentials', 'The URL must not contain a user name or password');
  }
  if (url.href.includes('#')) throw broken('fragment', 'The URL must not contain a #fragment');
  if (url.href.includes('?')) throw broken('query', 'The URL must not contain a ?query');
}

async function resolveForCheck(hostname: string, policy: AddressPolicy): Promise<ResolvedAddress[]> {
  const resolve = policy.resolve ?? resolveWithDns;
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(hostname);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = typeof code === 'string' ? ` (${code})` : '';
    throw broken('resolution', `${hostname} could not be looked up${why}; check the address`);
  }
  if (addresses.length === 0) throw broken('resolution', `${hostname} has no address; check the address`);
  return addresses;
}

/** Rule 2, for the host as written or for every address its name has now. */
async function checkAddresses(url: URL, policy: AddressPolicy): Promise<void> {
  const literal = literalAddress(url.hostname);
  const refused: AddressRefusal | null = literal
    ? refuseLiteral(literal, policy)
    : refuseResolved(url.hostname, await resolveForCheck(url.hostname, policy), policy);
  if (refused) throw new Invalid(refused.message, refused.details);
}

/**
 * Checks a provider base URL as a district saves it and returns it parsed. Throws `Invalid` naming the rule
 * broken (`details.rule`, one of UrlRule). Connections made later are checked again, by providerLookup.
 */
export async function checkProviderUrl(raw: string, policy: AddressPolicy = {}): Promise<URL> {
  const url = parse(raw);
  checkShape(url, policy);
  await checkAddresses(url, policy);
  return url;
}
