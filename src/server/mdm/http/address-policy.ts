import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type AddressClass, classifyAddress, describeAddress } from './address-ranges.ts';

/** One answer of a name lookup, as `dns.lookup` gives it with `all: true`. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Turns a host name into every address it has. Tests pass their own, to point names anywhere. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export interface AddressPolicy {
  /** Lifts the public-address rule and allows `http` (on-premises servers, tests, demos). */
  allowPrivate?: boolean | undefined;
  resolve?: Resolve | undefined;
}

/** The system resolver (what `node:http` would use), every address in the order DNS gave them. */
export const resolveWithDns: Resolve = (hostname) => lookup(hostname, { all: true, order: 'verbatim' });

/** What a refused address breaks, for the error's details. */
export interface AddressRefusal {
  message: string;
  details: { rule: 'address'; address: string; range: AddressClass['range']; embedded?: string };
}

const ONLY_PUBLIC = 'Satchel only connects to public addresses';

function allowed(verdict: AddressClass, policy: AddressPolicy): boolean {
  if (verdict.range === 'metadata') return false;
  return policy.allowPrivate === true || verdict.range === 'public';
}

function refusal(verdict: AddressClass, subject: string): AddressRefusal {
  const { address, range, embedded } = verdict;
  return {
    message: `${subject} ${describeAddress(verdict)}; ${ONLY_PUBLIC}`,
    details: { rule: 'address', address, range, ...(embedded ? { embedded } : {}) },
  };
}

/** A host written as an IP address (`127.0.0.1`, `[::1]`), without the brackets; null for a name. */
export function literalAddress(host: string): string | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIP(bare) === 0 ? null : bare;
}

/** Why a URL whose host is an IP address may not be connected to, or null if it may. */
export function refuseLiteral(address: string, policy: AddressPolicy): AddressRefusal | null {
  const verdict = classifyAddress(address);
  return allowed(verdict, policy) ? null : refusal(verdict, "The URL's host is");
}

/** Why a name may not be connected to: the first of its addresses that is refused, or null if none is. */
export function refuseResolved(
  hostname: string,
  addresses: readonly ResolvedAddress[],
  policy: AddressPolicy,
): AddressRefusal | null {
  for (const { address } of addresses) {
    const verdict = classifyAddress(address);
    if (!allowed(verdict, policy)) return refusal(verdict, `${hostname} resolves to`);
  }
  return null;
}
