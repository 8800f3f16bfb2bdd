import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { Invalid, ProviderError } from '../../../src/server/errors.ts';
import {
  type AddressRange,
  classifyAddress,
  describeAddress,
} from '../../../src/server/mdm/http/address-ranges.ts';
import { providerLookup } from '../../../src/server/mdm/http/provider-lookup.ts';
import {
  type AddressPolicy,
  checkProviderUrl,
  type UrlRule,
} from '../../../src/server/mdm/http/provider-url.ts';
import { tableResolver } from '../../setup/provider-names.ts';

const names = () =>
  tableResolver({
    'district.jamfcloud.example': [['1.1.1.1', '2606:4700:4700::1111']],
    localhost: [['127.0.0.1', '::1']],
    'internal.example': [['127.0.0.1']],
    'district.example': [['10.0.0.5']],
    'mixed.example': [['1.1.1.1', '10.0.0.5']],
    'mixed6.example': [['2606:4700:4700::1111', 'fc00::5']],
    'metadata.example': [['169.254.169.254']],
    'v6only.example': [['2606:4700:4700::1111']],
  });

interface Refused {
  rule: UrlRule;
  range?: AddressRange;
  address?: string;
  embedded?: string;
}
type Verdict = 'allowed' | Refused;

const address = (range: AddressRange, address: string, embedded?: string): Refused => ({
  rule: 'address',
  range,
  address,
  ...(embedded ? { embedded } : {}),
});

/** What the guard says of each URL by default: https to public addresses only. */
const BY_DEFAULT: [string, Verdict][] = [
  ['https://127.0.0.1', address('loopback', '127.0.0.1')],
  ['https://localhost', address('loopback', '127.0.0.1')],
  ['https://internal.example/api', address('loopback', '127.0.0.1')],
  ['https://0.0.0.0', address('unspecified', '0.0.0.0')],
  ['https://[::1]', address('loopback', '::1')],
  ['https://[::]', address('unspecified', '::')],
  // IPv6 forms that carry a loopback IPv4 address.
  ['https://[::ffff:127.0.0.1]', address('loopback', '::ffff:7f00:1', '127.0.0.1')],
  ['https://[::ffff:7f00:1]', address('loopback', '::ffff:7f00:1', '127.0.0.1')],
  ['https://[::7f00:1]', address('loopback', '::7f00:1', '127.0.0.1')],
  ['https://[::ffff:0:7f00:1]', address('loopback', '::ffff:0:7f00:1', '127.0.0.1')],
  ['https://[64:ff9b::7f00:1]', address('loopback', '64:ff9b::7f00:1', '127.0.0.1')],
  ['https://[2002:7f00:1::]', address('loopback', '2002:7f00:1::', '127.0.0.1')],
  [
    'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]',
    address('loopback', '2001:0:4136:e378:8000:63bf:80ff:fffe', '127.0.0.1'),
  ],
  // Numeric IPv4 forms: the URL parser has already made them 127.0.0.1, which is what the guard judges.
  ['https://2130706433', address('loopback', '127.0.0.1')],
  ['https://0177.0.0.1', address('loopback', '127.0.0.1')],
  ['https://0x7f.1', address('loopback', '127.0.0.1')],
  ['https://127.1', address('loopback', '127.0.0.1')],
  ['https://169.254.169.254/latest/meta-data', address('metadata', '169.254.169.254')],
  ['https://[fd00:ec2::254]', address('metadata', 'fd00:ec2::254')],
  ['https://[::ffff:169.254.169.254]', address('metadata', '::ffff:a9fe:a9fe', '169.254.169.254')],
  ['https://metadata.example', address('metadata', '169.254.169.254')],
  ['https://169.254.10.1', address('linkLocal', '169.254.10.1')],
  ['https://100.64.0.1', address('carrierGradeNat', '100.64.0.1')],
  ['https://10.1.2.3', address('private', '10.1.2.3')],
  ['https://172.16.5.4', address('private', '172.16.5.4')],
  ['https://192.168.1.1', address('private', '192.168.1.1')],
  ['https://[fc00::1]', address('uniqueLocal', 'fc00::1')],
  ['https://[fe80::1]', address('linkLocal', 'fe80::1')],
  ['https://224.0.0.1', address('multicast', '224.0.0.1')],
  ['https://[ff02::1]', address('multicast', 'ff02::1')],
  ['https://255.255.255.255', address('broadcast', '255.255.255.255')],
  ['https://240.0.0.1', address('reserved', '240.0.0.1')],
  ['https://192.0.2.10', address('reserved', '192.0.2.10')],
  ['https://[2001:db8::1]', address('reserved', '2001:db8::1')],
  ['https://district.example', address('private', '10.0.0.5')],
  // One private address among public ones is enough to refuse.
  ['https://mixed.example', address('private', '10.0.0.5')],
  ['https://mixed6.example', address('uniqueLocal', 'fc00::5')],
  ['https://user:pass@district.jamfcloud.example', { rule: 'credentials' }],
  ['https://district.jamfcloud.example@127.0.0.1', { rule: 'credentials' }],
  ['https://user@district.jamfcloud.example', { rule: 'credentials' }],
  ['https://district.jamfcloud.example/#top', { rule: 'fragment' }],
  ['https://district.jamfcloud.example#', { rule: 'fragment' }],
  ['https://district.jamfcloud.example/api?x=1', { rule: 'query' }],
  ['https://district.jamfcloud.example?', { rule: 'query' }],
  ['http://district.jamfcloud.example', { rule: 'scheme' }],
  ['ftp://district.jamfcloud.example', { rule: 'scheme' }],
  ['file:///etc/passwd', { rule: 'scheme' }],
  ['district.jamfcloud.example', { rule: 'url' }],
  ['https://nowhere.example', { rule: 'resolution' }],
  ['https://1.1.1.1', 'allowed'],
  ['https://[2606:4700:4700::1111]', 'allowed'],
  ['https://[::ffff:1.1.1.1]', 'allowed'],
  ['https://[64:ff9b::101:101]', 'allowed'],
  ['https://district.jamfcloud.example', 'allowed'],
  ['https://DISTRICT.jamfcloud.example:8443/api/', 'allowed'],
];

/** With allowPrivate: any address but a cloud metadata one, and http too; the other rules still hold. */
const ALLOWING_PRIVATE: [string, Verdict][] = [
  ['https://127.0.0.1', 'allowed'],
  ['http://127.0.0.1:8080', 'allowed'],
  ['http://localhost', 'allowed'],
  ['https://[::1]', 'allowed'],
  ['https://[::ffff:127.0.0.1]', 'allowed'],
  ['https://0x7f.1', 'allowed'],
  ['https://10.1.2.3', 'allowed'],
  ['http://192.168.1.1', 'allowed'],
  ['https://100.64.0.1', 'allowed'],
  ['https://[fc00::1]', 'allowed'],
  ['https://[fe80::1]', 'allowed'],
  ['https://district.example', 'allowed'],
  ['http://mixed.example', 'allowed'],
  ['https://district.jamfcloud.example', 'allowed'],
  ['https://169.254.169.254', address('metadata', '169.254.169.254')],
  ['http://[fd00:ec2::254]', address('metadata', 'fd00:ec2::254')],
  ['http://metadata.example', address('metadata', '169.254.169.254')],
  ['ftp://10.1.2.3', { rule: 'scheme' }],
  ['http://user:pass@10.1.2.3', { rule: 'credentials' }],
  ['http://10.1.2.3/#top', { rule: 'fragment' }],
  ['http://10.1.2.3/?x=1', { rule: 'query' }],
];

/** What each rule's message says, so an admin reading it knows what to change. */
const MESSAGES: Record<UrlRule, RegExp> = {
  url: /^The URL is not valid/,
  scheme: /^The URL must use https/,
  credentials: /^The URL must not contain a user name or password$/,
  fragment: /^The URL must not contain a #fragment$/,
  query: /^The URL must not contain a \?query$/,
  resolution: /could not be looked up \(ENOTFOUND\)/,
  address: /; Satchel only connects to public addresses$/,
};

async function verdictOf(url: string, policy: AddressPolicy): Promise<Verdict> {
  try {
    await checkProviderUrl(url, policy);
    return 'allowed';
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    expect(error.status).toBe(400);
    const details = error.details as Refused;
    expect(error.message).toMatch(MESSAGES[details.rule]);
    if (details.address) expect(error.message).toContain(details.address);
    return details;
  }
}

describe('checking a provider URL as it is saved', () => {
  it.each(BY_DEFAULT)('%s → %j', async (url, expected) => {
    expect(await verdictOf(url, { resolve: names() })).toEqual(expected);
  });

  it.each(ALLOWING_PRIVATE)('with allowPrivate, %s → %j', async (url, expected) => {
    expect(await verdictOf(url, { allowPrivate: true, resolve: names() })).toEqual(expected);
  });

  it('names the rule broken in words an admin can act on', async () => {
    const resolve = names();
    await expect(checkProviderUrl('https://district.example', { resolve })).rejects.toThrow(
      'district.example resolves to 10.0.0.5, a private address; Satchel only connects to public addresses',
    );
    await expect(checkProviderUrl('https://[::ffff:127.0.0.1]', { resolve })).rejects.toThrow(
      "The URL's host is ::ffff:7f00:1, which carries 127.0.0.1, a loopback address; " +
        'Satchel only connects to public addresses',
    );
    await expect(checkProviderUrl('http://10.1.2.3', { resolve })).rejects.toThrow('The URL must use https');
    await expect(checkProviderUrl('ftp://10.1.2.3', { allowPrivate: true, resolve })).rejects.toThrow(
      'The URL must use https or http',
    );
  });

  it('returns the URL as parsed, and looks a name up only to check it', async () => {
    const resolve = names();
    const url = await checkProviderUrl('https://District.JamfCloud.example/api', { resolve });
    expect(url.href).toBe('https://district.jamfcloud.example/api');
    expect(resolve.lookups).toEqual(['district.jamfcloud.example']);
    await checkProviderUrl('https://1.1.1.1', { resolve });
    expect(resolve.lookups).toHaveLength(1);
  });

  it('refuses a name that has no address at all', async () => {
    const resolve = tableResolver({ 'empty.example': [[]] });
    await expect(checkProviderUrl('https://empty.example', { resolve })).rejects.toMatchObject({
      details: { rule: 'resolution' },
      message: 'empty.example has no address; check the address',
    });
  });
});

describe('classifying an address', () => {
  const cases: [string, AddressRange, string?][] = [
    ['1.1.1.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::808:808', 'public'],
    // Teredo carries its server's address and its client's (bit-inverted); either one refuses it.
    ['2001:0:a00:5::', 'private', '10.0.0.5'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback', '127.0.0.1'],
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'public'],
    // NAT64's local-use prefix has no fixed place for the IPv4 address, so it cannot be judged by it.
    ['64:ff9b:1::a00:5', 'reserved'],
    ['100.100.100.200', 'metadata'],
    ['198.18.0.1', 'reserved'],
    ['0.1.2.3', 'unspecified'],
    ['fec0::1', 'reserved'],
    ['100::1', 'reserved'],
    // Outside 2000::/3, where no public IPv6 address is, though ipaddr.js calls it unicast.
    ['4000::1', 'reserved'],
  ];

  it.each(cases)('%s is %s', (text, range, embedded) => {
    const verdict = classifyAddress(text);
    expect(verdict.range).toBe(range);
    expect(verdict.embedded).toBe(embedded);
  });

  it('describes an address for a message', () => {
    expect(describeAddress(classifyAddress('10.0.0.5'))).toBe('10.0.0.5, a private address');
    expect(describeAddress(classifyAddress('::ffff:169.254.169.254'))).toBe(
      '::ffff:a9fe:a9fe, which carries 169.254.169.254, a cloud metadata address',
    );
  });
});

function lookUp(
  lookup: ReturnType<typeof providerLookup>,
  hostname: string,
  options: { all?: boolean; family?: number },
): Promise<LookupAddress[] | LookupAddress> {
  return new Promise((resolve, reject) =>
    lookup(hostname, options, (error, address, family) => {
      if (error) reject(error);
      else resolve(typeof address === 'string' ? { address, family: family as number } : address);
    }),
  );
}

describe('the lookup a provider connection uses', () => {
  it('hands over every address it checked, or the first of the family asked for', async () => {
    const lookup = providerLookup({ resolve: names() });
    expect(await lookUp(lookup, 'district.jamfcloud.example', { all: true })).toEqual([
      { address: '1.1.1.1', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
    expect(await lookUp(lookup, 'district.jamfcloud.example', {})).toEqual({ address: '1.1.1.1', family: 4 });
    expect(await lookUp(lookup, 'district.jamfcloud.example', { family: 6 })).toEqual({
      address: '2606:4700:4700::1111',
      family: 6,
    });
    expect(await lookUp(lookup, 'district.jamfcloud.example', { all: true, family: 4 })).toEqual([
      { address: '1.1.1.1', family: 4 },
    ]);
    await expect(lookUp(lookup, 'v6only.example', { family: 4 })).rejects.toMatchObject({
      code: 'ENOTFOUND',
      message: 'v6only.example has no IPv4 address',
    });
  });

  it('fails with a ProviderError when any address is refused, whichever family was asked for', async () => {
    const lookup = providerLookup({ resolve: names() });
    const refused = await lookUp(lookup, 'mixed.example', { family: 4 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({
      reason: 'unavailable',
      message:
        'mixed.example resolves to 10.0.0.5, a private address; Satchel only connects to public addresses',
      details: { rule: 'address', range: 'private', address: '10.0.0.5' },
    });
  });

  it("passes a failed lookup on as the resolver's own error, as Node's lookup would", async () => {
    const lookup = providerLookup({ resolve: names() });
    const failure = await lookUp(lookup, 'nowhere.example', { all: true }).catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('judges an IP address given to it as written, without a lookup', async () => {
    const resolve = names();
    const lookup = providerLookup({ resolve });
    await expect(lookUp(lookup, '10.0.0.5', {})).rejects.toThrow(
      "The URL's host is 10.0.0.5, a private address",
    );
    expect(await lookUp(lookup, '1.1.1.1', {})).toEqual({ address: '1.1.1.1', family: 4 });
    expect(resolve.lookups).toEqual([]);
  });

  it('with allowPrivate, hands over private addresses but never a metadata one', async () => {
    const lookup = providerLookup({ allowPrivate: true, resolve: names() });
    expect(await lookUp(lookup, 'localhost', { all: true })).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    await expect(lookUp(lookup, 'metadata.example', {})).rejects.toBeInstanceOf(ProviderError);
  });
});
