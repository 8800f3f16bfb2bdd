import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { ProviderError } from '../../errors.ts';
import {
  type AddressPolicy,
  type ResolvedAddress,
  refuseLiteral,
  refuseResolved,
  resolveWithDns,
} from './address-policy.ts';

/** `family` as Node passes it: 4, 6, 0 (either), or the old names. */
function wantedFamily(family: LookupOptions['family']): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

function noAddress(hostname: string, family: 0 | 4 | 6): Error {
  const which = family === 0 ? 'no address' : `no IPv${family} address`;
  return Object.assign(new Error(`${hostname} has ${which}`), { code: 'ENOTFOUND', hostname });
}

async function resolveChecked(
  hostname: string,
  family: 0 | 4 | 6,
  policy: AddressPolicy,
): Promise<ResolvedAddress[]> {
  const literal = isIP(hostname);
  const addresses = literal
    ? [{ address: hostname, family: literal }]
    : await (policy.resolve ?? resolveWithDns)(hostname);
  const refused = literal ? refuseLiteral(hostname, policy) : refuseResolved(hostname, addresses, policy);
  if (refused) throw new ProviderError('unavailable', refused.message, refused.details);
  const usable = family === 0 ? addresses : addresses.filter((answer) => answer.family === family);
  if (usable.length === 0) throw noAddress(hostname, family);
  return usable;
}

/**
 * A `lookup` for `node:http`/`node:https` request or agent options (and `net.connect`): it resolves the name,
 * checks every address it gets (see provider-url.ts) and gives the socket only those, so the address that
 * was checked is the address connected to, with no second lookup in between for DNS rebinding to exploit.
 * A refused address fails the request with a ProviderError (`unavailable`), before any socket is opened;
 * a failed lookup fails it with the resolver's own error, as Node's lookup would.
 */
export function providerLookup(policy: AddressPolicy = {}): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(hostname, wantedFamily(options.family), policy).then(
      (addresses) => {
        const first = addresses[0] as LookupAddress;
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : ''),
    );
  };
}
