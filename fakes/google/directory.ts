/**
 * Directory API ChromeOS device methods (list, get, countChromeOsDevices) over an in-memory fleet.
 * Devices are never deep-copied: pages are cut from cached index arrays (natural order, per-`orderBy`
 * sorted orders, per-query result sets), and `id:`/`asset_id:` lookups use a joined-string index.
 */
import { createHash } from 'node:crypto';
import { type ApiResult, errors } from './errors.ts';
import {
  applyFields,
  type FieldSchema,
  FieldsSyntaxError,
  type FieldTree,
  parseFields,
  unknownField,
} from './fields.ts';
import { matchesTerm, type ParsedQuery, parseQuery, QueryError, type QueryTerm } from './query.ts';
import type { FakeChromeDevice } from './types.ts';

export const DEVICE_KIND = 'admin#directory#chromeosdevice';
export const LIST_KIND = 'admin#directory#chromeosdevices';
export const MAX_RESULTS = 300;
export const DEFAULT_MAX_RESULTS = 100;

/** Fields only returned with projection=FULL (the list-valued fields, as GAM observes). */
export const FULL_ONLY_FIELDS = [
  'activeTimeRanges',
  'cpuStatusReports',
  'deviceFiles',
  'diskVolumeReports',
  'lastKnownNetwork',
  'recentUsers',
  'screenshotFiles',
  'systemRamFreeReports',
] as const;
const FULL_ONLY = new Set<string>(FULL_ONLY_FIELDS);

const DEVICE_FIELD_NAMES = [
  'activeTimeRanges',
  'annotatedAssetId',
  'annotatedLocation',
  'annotatedUser',
  'autoUpdateExpiration',
  'autoUpdateThrough',
  'backlightInfo',
  'bluetoothAdapterInfo',
  'bootMode',
  'chromeOsType',
  'cpuInfo',
  'cpuStatusReports',
  'deprovisionReason',
  'deviceFiles',
  'deviceId',
  'deviceLicenseType',
  'diskSpaceUsage',
  'diskVolumeReports',
  'dockMacAddress',
  'etag',
  'ethernetMacAddress',
  'ethernetMacAddress0',
  'extendedSupportEligible',
  'extendedSupportEnabled',
  'extendedSupportStart',
  'fanInfo',
  'firmwareVersion',
  'firstEnrollmentTime',
  'kind',
  'lastDeprovisionTimestamp',
  'lastEnrollmentTime',
  'lastKnownNetwork',
  'lastSync',
  'macAddress',
  'manufactureDate',
  'meid',
  'model',
  'notes',
  'orderNumber',
  'orgUnitId',
  'orgUnitPath',
  'osUpdateStatus',
  'osVersion',
  'osVersionCompliance',
  'platformVersion',
  'recentUsers',
  'screenshotFiles',
  'serialNumber',
  'status',
  'supportEndDate',
  'systemRamFreeReports',
  'systemRamTotal',
  'tpmVersionInfo',
  'willAutoRenew',
];
const DEVICE_SCHEMA: FieldSchema = Object.fromEntries(DEVICE_FIELD_NAMES.map((name) => [name, null]));
const LIST_SCHEMA: FieldSchema = {
  kind: null,
  etag: null,
  chromeosdevices: DEVICE_SCHEMA,
  nextPageToken: null,
};
const COUNT_SCHEMA: FieldSchema = { count: null };

export const ORDER_BY = [
  'annotatedLocation',
  'annotatedUser',
  'lastSync',
  'notes',
  'serialNumber',
  'status',
] as const;
type OrderBy = (typeof ORDER_BY)[number];

/** Length of the sequences the substring index is built from; shorter needles are looked for in full. */
const GRAM = 4;

/** Lower-cased values and, for each GRAM-character sequence, the devices whose value contains it. */
interface SubstringIndex {
  values: string[];
  grams: Map<string, number[]>;
}

interface Selection {
  query: ParsedQuery;
  orgUnit?: { path?: string; id?: string; children: boolean };
  orderBy?: OrderBy;
  descending: boolean;
}

const MAX_RENDERED_PROJECTIONS = 4;
/** Stands for the device list in a compact page body until the devices' own JSON takes its place. */
const DEVICES_MARK = '\u0000devices\u0000';

/** One customer's devices plus lazily built indexes; call `invalidate()` after mutating devices. */
export class FleetStore {
  devices: FakeChromeDevice[];
  version = 0;
  private byId?: Map<string, number>;
  private serials?: SubstringIndex;
  private assets?: SubstringIndex;
  private sorted = new Map<string, Int32Array>();
  private ranks = new Map<string, Int32Array>();
  private orgUnits?: { paths: Set<string>; ids: Set<string> };
  private results = new Map<string, Int32Array>();
  /** A date field of every device as milliseconds (NaN where it has none), for `sync:`-style terms. */
  private times = new Map<DateField, Float64Array>();
  /**
   * Devices as compact JSON, per projection (projection and `fields`), kept from a device's second answer on:
   * the first pass over a large fleet is answered as plainly as it can be, without filling the heap.
   */
  private rendered = new Map<string, { texts: (string | undefined)[]; answered: Uint8Array }>();

  constructor(devices: FakeChromeDevice[]) {
    this.devices = devices;
  }

  replace(devices: FakeChromeDevice[]): void {
    this.devices = devices;
    this.invalidate();
  }

  /**
   * Drops what was derived from the devices. Given the fields that changed, only the indexes built over them
   * go: patching check-ins or OS versions keeps the serial index, as Google's own indexes are kept up to date.
   * Given the devices too, the dates of those alone are read again.
   */
  invalidate(changed?: Iterable<string>, deviceIds?: Iterable<string>): void {
    this.version++;
    this.results.clear();
    const fields = changed ? new Set(changed) : undefined;
    const touched = (...names: string[]) => !fields || names.some((name) => fields.has(name));
    if (touched('deviceId')) this.byId = undefined;
    if (touched('serialNumber')) this.serials = undefined;
    if (touched('annotatedAssetId')) this.assets = undefined;
    if (touched('orgUnitPath', 'orgUnitId')) this.orgUnits = undefined;
    // Where only some devices changed, only their dates are read again (all of them if one is not found).
    const indices = deviceIds ? [...deviceIds].map((id) => this.indexOf(id)) : undefined;
    const known = indices?.every((index) => index !== undefined) ? (indices as number[]) : undefined;
    if (!known || touched('deviceId')) this.rendered.clear();
    else for (const { texts } of this.rendered.values()) for (const index of known) texts[index] = undefined;
    for (const [field, times] of [...this.times]) {
      if (!touched(field)) continue;
      if (!known) this.times.delete(field);
      else for (const index of known) times[index] = timeOf(this.devices[index]![field]);
    }
    for (const key of [...this.sorted.keys()]) {
      if (!touched(key)) continue;
      this.sorted.delete(key);
      this.ranks.delete(key);
    }
  }

  /** Builds the indexes every lookup needs now rather than during the first request that needs them. */
  prepare(): void {
    this.get('');
    this.substringIndex('serial');
    // What Satchel's listings ask for: `sync:` ranges, in serial number order.
    this.timesOf('lastSync');
    this.order('serialNumber');
  }

  /** Parsing a timestamp per device per query cost more than a `sync:` count over a large fleet should. */
  private timesOf(field: DateField): Float64Array {
    let times = this.times.get(field);
    if (!times) {
      times = new Float64Array(this.devices.length);
      for (let i = 0; i < this.devices.length; i++) times[i] = timeOf(this.devices[i]![field]);
      this.times.set(field, times);
    }
    return times;
  }

  private cacheFor(projection: string) {
    let cache = this.rendered.get(projection);
    if (!cache) {
      // Few projections are in use at once; a caller trying many only loses the cache.
      if (this.rendered.size >= MAX_RENDERED_PROJECTIONS) this.rendered.clear();
      cache = { texts: new Array(this.devices.length), answered: new Uint8Array(this.devices.length) };
      this.rendered.set(projection, cache);
    }
    return cache;
  }

  /** Whether every one of these devices was answered under `projection` before; they all have been now. */
  answeredBefore(indices: Int32Array, projection: string): boolean {
    const { answered } = this.cacheFor(projection);
    let all = true;
    for (const index of indices) {
      if (!answered[index]) {
        all = false;
        answered[index] = 1;
      }
    }
    return all;
  }

  /**
   * Device `index` as compact JSON under `projection`, made by `make` the first time. A batch of lookups
   * answers each device on its own, and every sync asks for the same fields.
   */
  render(index: number, projection: string, make: () => string): string {
    const { texts } = this.cacheFor(projection);
    let text = texts[index];
    if (text === undefined) {
      text = make();
      texts[index] = text;
    }
    return text;
  }

  get(deviceId: string): FakeChromeDevice | undefined {
    const index = this.indexOf(deviceId);
    return index === undefined ? undefined : this.devices[index];
  }

  private indexOf(deviceId: string): number | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (let i = 0; i < this.devices.length; i++) this.byId.set(this.devices[i]!.deviceId, i);
    }
    return this.byId.get(deviceId);
  }

  hasOrgUnit(path: string | undefined, id: string | undefined): boolean {
    if (!this.orgUnits) {
      const paths = new Set<string>(['/']);
      const ids = new Set<string>();
      for (const device of this.devices) {
        if (device.orgUnitId) ids.add(stripIdPrefix(device.orgUnitId));
        let p = device.orgUnitPath;
        while (p && p !== '/' && !paths.has(p)) {
          paths.add(p);
          p = p.slice(0, p.lastIndexOf('/')) || '/';
        }
      }
      this.orgUnits = { paths, ids };
    }
    return path !== undefined ? this.orgUnits.paths.has(path) : id !== undefined && this.orgUnits.ids.has(id);
  }

  private substringIndex(kind: 'serial' | 'asset'): SubstringIndex {
    const cached = kind === 'serial' ? this.serials : this.assets;
    if (cached) return cached;
    const values: string[] = new Array(this.devices.length);
    const grams = new Map<string, number[]>();
    for (let i = 0; i < this.devices.length; i++) {
      const d = this.devices[i]!;
      const value = ((kind === 'serial' ? d.serialNumber : d.annotatedAssetId) ?? '').toLowerCase();
      values[i] = value;
      const seen = new Set<string>();
      for (let at = 0; at + GRAM <= value.length; at++) {
        const gram = value.slice(at, at + GRAM);
        if (seen.has(gram)) continue;
        seen.add(gram);
        const postings = grams.get(gram);
        if (postings) postings.push(i);
        else grams.set(gram, [i]);
      }
    }
    const index = { values, grams };
    if (kind === 'serial') this.serials = index;
    else this.assets = index;
    return index;
  }

  /**
   * Indices (ascending) of devices whose serial / asset ID contains `needle` (lower-case): the candidates
   * are the devices holding the needle's rarest GRAM-character sequence, each then checked in full, so a
   * batch of a thousand lookups over a large fleet stays fast. Shorter needles are rare: a full scan.
   */
  private substringMatches(kind: 'serial' | 'asset', needle: string): number[] {
    const { values, grams } = this.substringIndex(kind);
    if (needle.length < GRAM) {
      const out: number[] = [];
      for (let i = 0; i < values.length; i++) if (values[i]!.includes(needle)) out.push(i);
      return out;
    }
    // A few sequences spread over the needle find a short candidate list; looking at all of them costs more.
    let rarest: number[] | undefined;
    const last = needle.length - GRAM;
    const step = Math.max(1, Math.ceil(last / 3));
    for (let at = 0; at <= last; at = at === last ? last + 1 : Math.min(last, at + step)) {
      const postings = grams.get(needle.slice(at, at + GRAM));
      if (!postings) return [];
      if (!rarest || postings.length < rarest.length) rarest = postings;
    }
    return (rarest ?? []).filter((i) => values[i]!.includes(needle));
  }

  private order(orderBy: OrderBy): Int32Array {
    let order = this.sorted.get(orderBy);
    if (order) return order;
    const n = this.devices.length;
    const keys: (string | number)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const d = this.devices[i]!;
      if (orderBy === 'lastSync') {
        const ms = d.lastSync ? Date.parse(d.lastSync) : Number.NEGATIVE_INFINITY;
        keys[i] = Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
      } else keys[i] = String(d[orderBy] ?? '').toLowerCase();
    }
    const indices = Array.from({ length: n }, (_, i) => i);
    indices.sort((a, b) => {
      const ka = keys[a]!;
      const kb = keys[b]!;
      return ka < kb ? -1 : ka > kb ? 1 : a - b;
    });
    order = Int32Array.from(indices);
    this.sorted.set(orderBy, order);
    return order;
  }

  private rank(orderBy: OrderBy): Int32Array {
    let rank = this.ranks.get(orderBy);
    if (rank) return rank;
    const order = this.order(orderBy);
    rank = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) rank[order[i]!] = i;
    this.ranks.set(orderBy, rank);
    return rank;
  }

  /** Device indices matching the selection, in response order. Cached per selection. */
  select(selection: Selection, key: string): Int32Array {
    const cached = this.results.get(key);
    if (cached) {
      this.results.delete(key);
      this.results.set(key, cached);
      return cached;
    }
    const { query, orgUnit, orderBy, descending } = selection;
    const ouMatch = (d: FakeChromeDevice): boolean => {
      if (!orgUnit) return true;
      if (orgUnit.id !== undefined) return stripIdPrefix(d.orgUnitId ?? '') === orgUnit.id;
      const path = d.orgUnitPath ?? '/';
      const want = orgUnit.path!;
      if (path === want) return true;
      return orgUnit.children && (want === '/' || path.startsWith(`${want}/`));
    };
    const indexed = query.terms.filter((t) => t.kind === 'id' || t.kind === 'asset_id');
    const dated = query.terms.flatMap((t) =>
      t.kind === 'date' ? [{ times: this.timesOf(t.field), from: t.range.from, to: t.range.to }] : [],
    );
    const others = query.terms.filter((t) => t.kind !== 'id' && t.kind !== 'asset_id' && t.kind !== 'date');
    // A `sync:` range alone (what incremental listings and their counts ask) reads only the dates.
    const datesOnly = orgUnit === undefined && others.length === 0;
    const keep = (i: number): boolean => {
      // NaN (no date) is in no range.
      for (const { times, from, to } of dated) if (!(times[i]! >= from && times[i]! <= to)) return false;
      if (datesOnly) return true;
      const d = this.devices[i]!;
      if (!ouMatch(d)) return false;
      for (const term of others) if (!matchesTerm(d, term)) return false;
      return true;
    };
    let result: number[];
    if (indexed.length > 0) {
      let candidates: number[] | undefined;
      for (const term of indexed) {
        const hits = this.substringMatches(term.kind === 'id' ? 'serial' : 'asset', term.value);
        candidates = candidates ? intersectSorted(candidates, hits) : hits;
      }
      result = (candidates ?? []).filter(keep);
      if (orderBy) {
        const rank = this.rank(orderBy);
        result.sort((a, b) => rank[a]! - rank[b]!);
      }
    } else {
      result = [];
      const order = orderBy ? this.order(orderBy) : undefined;
      const n = this.devices.length;
      const filtering = orgUnit !== undefined || others.length > 0 || dated.length > 0;
      for (let k = 0; k < n; k++) {
        const i = order ? order[k]! : k;
        if (!filtering || keep(i)) result.push(i);
      }
    }
    if (descending) result.reverse();
    const selected = Int32Array.from(result);
    this.results.set(key, selected);
    if (this.results.size > 64) {
      const oldest = this.results.keys().next().value;
      if (oldest !== undefined) this.results.delete(oldest);
    }
    return selected;
  }
}

function timeOf(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

type DateField = Extract<QueryTerm, { kind: 'date' }>['field'];

function intersectSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}

function stripIdPrefix(id: string): string {
  return id.startsWith('id:') ? id.slice(3) : id;
}

export function deviceEtag(device: FakeChromeDevice): string {
  if (device.etag) return device.etag;
  let h = 2166136261;
  const text = `${device.deviceId}|${device.lastSync ?? ''}|${device.status}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return `"${(h >>> 0).toString(36)}${device.deviceId.replace(/-/g, '').slice(0, 12)}"`;
}

/** The device as the API shows it: kind/etag added, FULL-only fields dropped for BASIC. */
export function present(device: FakeChromeDevice, basic: boolean): FakeChromeDevice {
  if (!basic && device.kind && device.etag) return device;
  const out: Record<string, unknown> = { kind: DEVICE_KIND, etag: deviceEtag(device) };
  for (const key of Object.keys(device)) {
    if (key === 'kind' || key === 'etag') continue;
    if (basic && FULL_ONLY.has(key)) continue;
    const value = (device as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as unknown as FakeChromeDevice;
}

export interface ListContext {
  store: FleetStore;
  customerId: string;
  now: number;
  pageTokenLifetimeMs: number;
  /** Serve at most this many devices per page whatever `maxResults` asks (admins see 200 where 300 is documented). */
  pageSizeCap: number;
  params: URLSearchParams;
}

interface PageToken {
  /** offset */
  o: number;
  /** selection key hash */
  k: string;
  /** when the first page was served */
  t: number;
}

function parseSelection(
  store: FleetStore,
  params: URLSearchParams,
  queryParam: 'query' | 'filter',
): { selection: Selection; key: string } | ApiResult {
  let query: ParsedQuery;
  try {
    query = parseQuery(params.get(queryParam) ?? undefined);
  } catch (error) {
    if (error instanceof QueryError) return errors.invalid(error.message);
    throw error;
  }
  const rawOu = params.get('orgUnitPath') ?? undefined;
  const children = parseBoolean(params.get('includeChildOrgunits'));
  if (children === 'invalid') {
    return errors.invalidParameter(
      `Invalid value '${params.get('includeChildOrgunits')}'. Values must be true or false.`,
      'includeChildOrgunits',
    );
  }
  if (children && !rawOu) return errors.invalid('Invalid Input: includeChildOrgunits requires orgUnitPath');
  let orgUnit: Selection['orgUnit'];
  if (rawOu) {
    if (rawOu.startsWith('id:')) {
      orgUnit = { id: rawOu.slice(3), children: children === true };
      if (!store.hasOrgUnit(undefined, orgUnit.id))
        return errors.invalid('Invalid Input: Org unit not found');
    } else {
      const path = `/${rawOu.replace(/^\/+/, '')}`.replace(/\/+$/, '') || '/';
      orgUnit = { path, children: children === true };
      if (!store.hasOrgUnit(path, undefined)) return errors.invalid('Invalid Input: Org unit not found');
    }
  }
  let orderBy: OrderBy | undefined;
  const rawOrder = params.get('orderBy');
  if (rawOrder) {
    const normal = rawOrder.replace(/_/g, '').toLowerCase();
    orderBy = ORDER_BY.find((o) => o.toLowerCase() === normal);
    if (!orderBy) {
      return errors.invalidParameter(
        `Invalid value '${rawOrder}'. Values must be one of: ${ORDER_BY.join(', ')}`,
        'orderBy',
      );
    }
  }
  const rawSort = params.get('sortOrder');
  let descending = false;
  if (rawSort) {
    const upper = rawSort.toUpperCase();
    if (upper !== 'ASCENDING' && upper !== 'DESCENDING') {
      return errors.invalidParameter(
        `Invalid value '${rawSort}'. Values must be ASCENDING or DESCENDING.`,
        'sortOrder',
      );
    }
    if (!orderBy) return errors.invalid('Invalid Input: sortOrder must be used with orderBy');
    descending = upper === 'DESCENDING';
  }
  const selection: Selection = { query, orderBy, descending };
  if (orgUnit) selection.orgUnit = orgUnit;
  const key = JSON.stringify([
    store.version,
    params.get(queryParam) ?? '',
    orgUnit?.path ?? orgUnit?.id ?? '',
    orgUnit?.children ?? false,
    orderBy ?? '',
    descending,
  ]);
  return { selection, key };
}

function parseBoolean(value: string | null): boolean | undefined | 'invalid' {
  if (value === null || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return 'invalid';
}

function parseProjection(params: URLSearchParams): boolean | ApiResult {
  const raw = params.get('projection');
  if (!raw) return false;
  const upper = raw.toUpperCase();
  if (upper === 'BASIC') return true;
  if (upper === 'FULL') return false;
  return errors.invalidParameter(`Invalid value '${raw}'. Values must be one of: BASIC, FULL`, 'projection');
}

/** Parsed `fields` selections by text: every call of a batch usually names the same ones. */
const parsedFields = new Map<string, ReturnType<typeof parseFields> | ApiResult>();

function parseFieldsParam(params: URLSearchParams, schema: FieldSchema) {
  const raw = params.get('fields');
  if (raw === null || raw === '') return undefined;
  const key = `${schema === LIST_SCHEMA ? 'list' : schema === DEVICE_SCHEMA ? 'device' : 'count'}\u0000${raw}`;
  let parsed = parsedFields.get(key);
  if (!parsed) {
    parsed = parseFieldsUncached(raw, schema);
    if (parsedFields.size > 1000) parsedFields.clear();
    parsedFields.set(key, parsed);
  }
  return parsed;
}

function parseFieldsUncached(raw: string, schema: FieldSchema) {
  try {
    const tree = parseFields(raw);
    const bad = unknownField(tree, schema);
    if (bad) return errors.invalidParameter(`Invalid field selection ${bad}`, 'fields');
    return tree;
  } catch (error) {
    if (error instanceof FieldsSyntaxError) return errors.invalidParameter(error.message, 'fields');
    throw error;
  }
}

function isResult(value: unknown): value is ApiResult {
  return typeof value === 'object' && value !== null && 'status' in value && 'headers' in value;
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

/** FNV-1a, 32 bits: enough to tell list pages apart in an etag. */
function fnv(text: string, seed = 2166136261): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function etagFor(text: string): string {
  return `"${fnv(text).toString(36)}${fnv(text, 0x811c9dc5 ^ 0x5bd1e995).toString(36)}"`;
}

export function listDevices(ctx: ListContext): ApiResult {
  const { params, store } = ctx;
  const rawMax = params.get('maxResults');
  let maxResults = DEFAULT_MAX_RESULTS;
  if (rawMax !== null && rawMax !== '') {
    const n = Number(rawMax);
    if (!/^-?\d+$/.test(rawMax) || n < 1 || n > MAX_RESULTS) {
      return errors.invalidParameter(
        `Invalid value '${rawMax}'. Values must be within the range: [1, ${MAX_RESULTS}]`,
        'maxResults',
      );
    }
    maxResults = n;
  }
  const basic = parseProjection(params);
  if (isResult(basic)) return basic;
  const fields = parseFieldsParam(params, LIST_SCHEMA);
  if (isResult(fields)) return fields;
  const parsed = parseSelection(store, params, 'query');
  if (isResult(parsed)) return parsed;
  // Page tokens name their selection; worked out only when a token is read or handed out.
  let keyHashed: string | undefined;
  const keyHash = () => {
    keyHashed ??= hashKey(parsed.key.replace(/^\[\d+,/, '['));
    return keyHashed;
  };

  let offset = 0;
  let firstPageAt = ctx.now;
  const rawToken = params.get('pageToken');
  if (rawToken) {
    let token: PageToken | undefined;
    try {
      const decoded = JSON.parse(Buffer.from(rawToken, 'base64url').toString('utf8')) as PageToken;
      if (typeof decoded.o === 'number' && typeof decoded.k === 'string' && typeof decoded.t === 'number')
        token = decoded;
    } catch {
      token = undefined;
    }
    if (!token || token.k !== keyHash() || token.o < 0) return errors.invalid(`Invalid Input: ${rawToken}`);
    if (ctx.now - token.t > ctx.pageTokenLifetimeMs)
      return errors.badRequest('Request contains an invalid argument.');
    offset = token.o;
    firstPageAt = token.t;
  }

  const selected = store.select(parsed.selection, parsed.key);
  const end = Math.min(selected.length, offset + Math.min(maxResults, ctx.pageSizeCap));
  const body: Record<string, unknown> = {
    kind: LIST_KIND,
    etag: etagFor(`${parsed.key}|${offset}|${end}`),
  };
  const count = Math.max(0, end - offset);
  // Google omits empty repeated fields: no `chromeosdevices` key when nothing matched.
  if (count > 0) body.chromeosdevices = DEVICES_MARK;
  if (end < selected.length) {
    const token: PageToken = { o: end, k: keyHash(), t: firstPageAt };
    body.nextPageToken = Buffer.from(JSON.stringify(token)).toString('base64url');
  }
  const indices = selected.subarray(offset, offset + count);
  const deviceFields = fields?.get('chromeosdevices') ?? (fields ? undefined : true);
  const projection = `${basic ? 'BASIC' : 'FULL'}\u0000${params.get('fields') ?? ''}`;
  if (
    params.get('prettyPrint') === 'false' &&
    !fields?.has('*') &&
    deviceFields !== undefined &&
    count > 0 &&
    store.answeredBefore(indices, projection)
  ) {
    // Devices answered again are put together from their JSON, made once per projection: a batch of a
    // thousand lookups would otherwise project and serialise every device on its own on every sync.
    const top = fields ? applyFields(body, withDevicesWhole(fields)) : body;
    const devices: string[] = new Array(count);
    for (let k = 0; k < count; k++) {
      const index = indices[k]!;
      devices[k] = store.render(index, projection, () => {
        const shown = present(store.devices[index]!, basic);
        return JSON.stringify(deviceFields === true ? shown : applyFields(shown, deviceFields));
      });
    }
    const text = JSON.stringify(top).replace(JSON.stringify(DEVICES_MARK), () => `[${devices.join(',')}]`);
    return {
      status: 200,
      headers: {},
      text,
      // Read back from the text by the few that look into an answer (injected faults).
      get json() {
        return JSON.parse(text);
      },
      resultCount: count,
    };
  }
  if (count > 0) body.chromeosdevices = Array.from(indices, (index) => present(store.devices[index]!, basic));
  return {
    status: 200,
    headers: {},
    json: fields ? applyFields(body, fields) : body,
    resultCount: count,
  };
}

/** The selection with the device list taken whole (it stands for the devices' own JSON until then). */
const devicesWhole = new WeakMap<FieldTree, FieldTree>();
function withDevicesWhole(fields: FieldTree): FieldTree {
  let tree = devicesWhole.get(fields);
  if (!tree) {
    tree = new Map(fields);
    if (tree.has('chromeosdevices')) tree.set('chromeosdevices', true);
    devicesWhole.set(fields, tree);
  }
  return tree;
}

export function getDevice(store: FleetStore, deviceId: string, params: URLSearchParams): ApiResult {
  const basic = parseProjection(params);
  if (isResult(basic)) return basic;
  const fields = parseFieldsParam(params, DEVICE_SCHEMA);
  if (isResult(fields)) return fields;
  const device = store.get(deviceId);
  if (!device) return errors.notFound('deviceId');
  const shown = present(device, basic);
  return { status: 200, headers: {}, json: fields ? applyFields(shown, fields) : shown, resultCount: 1 };
}

export function countDevices(store: FleetStore, params: URLSearchParams): ApiResult {
  const fields = parseFieldsParam(params, COUNT_SCHEMA);
  if (isResult(fields)) return fields;
  const parsed = parseSelection(store, params, 'filter');
  if (isResult(parsed)) return parsed;
  const count = store.select(parsed.selection, parsed.key).length;
  // proto3 JSON leaves out a zero int64, so an empty result is `{}`.
  const body = count > 0 ? { count: String(count) } : {};
  return { status: 200, headers: {}, json: fields ? applyFields(body, fields) : body, resultCount: count };
}

export { parseQuery };
