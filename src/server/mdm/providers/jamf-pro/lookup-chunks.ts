import { INVENTORIES, type InventoryEndpoint, inventoryUrl, MAX_PAGE_SIZE } from './kinds.ts';

/**
 * (Shared with the web app, which shows how many serials a lookup holds: this file imports nothing from the
 * server beyond kinds.ts.)
 *
 * Targeted lookups name tracked serials in an RSQL `=in=` list, as many as keep the request target (path and
 * query) within MAX_TARGET_BYTES. Servers and the load balancers in front of them refuse longer ones (414):
 * Tomcat, which Jamf Pro runs on, reads the request line and headers into 8 KB by default, and the bearer
 * token alone takes about 1 KB of the headers. 6 KB leaves room for both.
 */
export const MAX_TARGET_BYTES = 6 * 1024;

/**
 * For the planner, which knows how many devices are tracked but not their serials: a serial of 13 characters
 * with its encoded separator (`%2C`) takes 16 bytes, and the rest of a lookup's target about 200. Apple's
 * serials have 10 or 12 characters, so a district of Macs and iPads needs no more lookups than estimated;
 * longer serials of other makers, which districts track too, fill a lookup sooner.
 */
const ESTIMATED_FIXED_BYTES = 200;
const ESTIMATED_BYTES_PER_SERIAL = 16;
export const ESTIMATED_SERIALS_PER_LOOKUP = Math.floor(
  (MAX_TARGET_BYTES - ESTIMATED_FIXED_BYTES) / ESTIMATED_BYTES_PER_SERIAL,
);

/** Characters an RSQL value may hold without quotes (the rest are operators, separators or quotes). */
const PLAIN_VALUE = /^[A-Za-z0-9._\-:/+]+$/;

/** A serial as an RSQL value: bare when it can be, else double-quoted with `"` and `\` escaped. */
export function rsqlValue(serial: string): string {
  return PLAIN_VALUE.test(serial) ? serial : `"${serial.replace(/["\\]/g, (char) => `\\${char}`)}"`;
}

/** `hardware.serialNumber=in=(A,B,…)`. */
export function serialFilter(endpoint: InventoryEndpoint, serials: readonly string[]): string {
  return `${endpoint.serialField}=in=(${serials.map(rsqlValue).join(',')})`;
}

/**
 * The tracked serials a lookup can name exactly. Jamf reads `*` as a wildcard, which would list devices
 * Satchel does not track: a serial holding one is not asked about.
 */
export function askableSerials(trackedSerialKeys: readonly string[]): readonly string[] {
  return trackedSerialKeys.filter((key) => key.length > 0 && !key.includes('*'));
}

function targetLength(url: string): number {
  const parsed = new URL(url);
  return parsed.pathname.length + parsed.search.length;
}

/** The longest target of an empty lookup, over both inventories (their paths and serial fields differ). */
function emptyLookupLength(baseUrl: string): number {
  return Math.max(
    ...INVENTORIES.map((endpoint) =>
      targetLength(
        // Page numbers past 0 only follow a lookup whose serials matched more than a page of records: room
        // for a few digits is kept for them.
        inventoryUrl(baseUrl, endpoint, {
          page: 999,
          pageSize: MAX_PAGE_SIZE,
          filter: serialFilter(endpoint, []),
        }),
      ),
    ),
  );
}

/**
 * Where the lookup that starts at `start` ends (exclusive): as many serials as fit MAX_TARGET_BYTES, and at
 * least one. The same serials always make the same chunks, so a resumed run asks for exactly the lookups it
 * had not written yet.
 */
export function lookupEnd(baseUrl: string, serials: readonly string[], start: number): number {
  let length = emptyLookupLength(baseUrl);
  let end = start;
  while (end < serials.length) {
    const cost = encodeURIComponent(rsqlValue(serials[end] as string)).length + (end > start ? 3 : 0);
    if (end > start && length + cost > MAX_TARGET_BYTES) break;
    length += cost;
    end++;
  }
  return end;
}
