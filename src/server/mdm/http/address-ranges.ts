import ipaddr from 'ipaddr.js';

/**
 * Which kind of address an IP is, as far as connecting to a provider goes: `public`, or the name of the range
 * that makes it unsafe. The rules this serves are explained in provider-url.ts.
 */
export type AddressRange =
  | 'public'
  | 'loopback'
  | 'private'
  | 'linkLocal'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'reserved'
  | 'carrierGradeNat'
  | 'uniqueLocal'
  | 'metadata';

export interface AddressClass {
  /** The address as ipaddr.js prints it: dotted quad, or compressed IPv6 (`::ffff:7f00:1`). */
  address: string;
  range: AddressRange;
  /** The IPv4 address an IPv6 one carries inside it, when that IPv4 address is what decided the range. */
  embedded?: string;
}

/**
 * Cloud instance metadata services, which hand out the machine's credentials to whoever asks from inside it:
 * AWS, Azure, Google Cloud and Oracle (169.254.169.254), AWS over IPv6 (fd00:ec2::254), Alibaba Cloud
 * (100.100.100.200). They are refused even where private addresses are allowed.
 */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** The ranges ipaddr.js names that this file reports under a name of its own; the rest are `reserved`. */
const NAMED_RANGES = new Set<string>([
  'loopback',
  'private',
  'linkLocal',
  'multicast',
  'unspecified',
  'broadcast',
  'reserved',
  'carrierGradeNat',
  'uniqueLocal',
]);

/** Every public IPv6 address is in 2000::/3 (global unicast); the rest of the space is special or unassigned. */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];
/** NAT64's well-known prefix, whose last 32 bits are the IPv4 address (RFC 6052). */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96') as [ipaddr.IPv6, number];

function ipv4FromGroups(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** An IPv4-compatible address (::a.b.c.d, deprecated but still parsed by stacks): six zero groups first. */
function isIPv4Compatible(address: ipaddr.IPv6): boolean {
  return address.parts.slice(0, 6).every((group) => group === 0);
}

/**
 * The IPv4 addresses that IPv6 transition forms carry, which is where traffic to them ends up. Teredo carries
 * two, its server's and (bit-inverted) its client's; both must be public. Returns null for an address that
 * carries none, and an empty list for a NAT64 local-use prefix, where the IPv4 address has no fixed place.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] | null {
  const p = address.parts as [number, number, number, number, number, number, number, number];
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return [ipv4FromGroups(p[6], p[7])];
    case 'rfc6052':
      return address.match(NAT64_WELL_KNOWN) ? [ipv4FromGroups(p[6], p[7])] : [];
    case '6to4':
      return [ipv4FromGroups(p[1], p[2])];
    case 'teredo':
      return [ipv4FromGroups(p[2], p[3]), ipv4FromGroups(p[6] ^ 0xffff, p[7] ^ 0xffff)];
    case 'unicast':
      return isIPv4Compatible(address) ? [ipv4FromGroups(p[6], p[7])] : null;
    default:
      return null;
  }
}

function rangeOf(address: ipaddr.IPv4 | ipaddr.IPv6): AddressRange {
  if (METADATA_ADDRESSES.has(address.toString())) return 'metadata';
  const range = address.range();
  if (range === 'unicast') {
    const outsideGlobalUnicast = address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST);
    return outsideGlobalUnicast ? 'reserved' : 'public';
  }
  return NAMED_RANGES.has(range) ? (range as AddressRange) : 'reserved';
}

/**
 * Classifies an IP address (as DNS or the URL parser gives it). IPv6 forms that carry an IPv4 address are
 * judged by that IPv4 address, so `::ffff:127.0.0.1` is loopback and `::ffff:8.8.8.8` is public.
 */
export function classifyAddress(text: string): AddressClass {
  const address = ipaddr.parse(text);
  const printed = address.toString();
  const carried = address.kind() === 'ipv6' ? embeddedIPv4(address as ipaddr.IPv6) : null;
  if (carried === null) return { address: printed, range: rangeOf(address) };
  if (carried.length === 0) return { address: printed, range: 'reserved' };
  for (const ipv4 of carried) {
    const range = rangeOf(ipv4);
    if (range !== 'public') return { address: printed, range, embedded: ipv4.toString() };
  }
  return { address: printed, range: 'public' };
}

const RANGE_NAMES: Record<Exclude<AddressRange, 'public'>, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
  carrierGradeNat: 'a carrier-grade NAT address',
  uniqueLocal: 'a unique-local address',
  metadata: 'a cloud metadata address',
};

/** "10.0.0.5, a private address", or "::ffff:7f00:1, which carries 127.0.0.1, a loopback address". */
export function describeAddress(verdict: AddressClass): string {
  const kind = verdict.range === 'public' ? 'a public address' : RANGE_NAMES[verdict.range];
  const carried = verdict.embedded ? `, which carries ${verdict.embedded}` : '';
  return `${verdict.address}${carried}, ${kind}`;
}
