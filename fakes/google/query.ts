/**
 * The Directory API list-query language for ChromeOS devices (`query` of list, `filter` of
 * countChromeOsDevices). Space-separated terms are ANDed. Supported operators:
 * `id:` (case-insensitive substring of serialNumber, at least 3 characters), `asset_id:` (substring),
 * `status:` (provisioned|active, disabled, deprovisioned, managed), `sync:` / `register:` / `aue:` (a date:
 * `D`, `D1..D2`, `..D`, `D..`), `user:`, `location:`, `note:` (substring), `wifi_mac:` / `ethernet_mac:`
 * (exact, no colons), `public_model_name:` (substring); a bare word searches the common text fields.
 */
import type { FakeChromeDevice } from './types.ts';

export class QueryError extends Error {}

export interface DateRange {
  from: number;
  to: number;
}

export type QueryTerm =
  | { kind: 'id'; value: string }
  | { kind: 'asset_id'; value: string }
  | { kind: 'status'; value: 'ACTIVE' | 'DISABLED' | 'DEPROVISIONED' | 'MANAGED' }
  | { kind: 'date'; field: 'lastSync' | 'lastEnrollmentTime' | 'autoUpdateThrough'; range: DateRange }
  | { kind: 'text'; fields: (keyof FakeChromeDevice)[]; value: string }
  | { kind: 'exact'; fields: (keyof FakeChromeDevice)[]; value: string };

export interface ParsedQuery {
  terms: QueryTerm[];
  /** Raw `id:` values, for the request log. */
  serials: string[];
  assetIds: string[];
}

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(text: string, original: string): number {
  const m = DATE.exec(text);
  if (!m) throw new QueryError(`Invalid Input: ${original}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const check = new Date(ms);
  if (check.getUTCMonth() !== Number(m[2]) - 1 || check.getUTCDate() !== Number(m[3])) {
    throw new QueryError(`Invalid Input: ${original}`);
  }
  return ms;
}

/** `D` (that UTC day), `D1..D2` (inclusive), `..D` (on or before), `D..` (on or after). */
export function parseDateRange(value: string, original: string): DateRange {
  const dots = value.indexOf('..');
  if (dots < 0) {
    const day = parseDay(value, original);
    return { from: day, to: day + DAY - 1 };
  }
  const left = value.slice(0, dots);
  const right = value.slice(dots + 2);
  if (!left && !right) throw new QueryError(`Invalid Input: ${original}`);
  const from = left ? parseDay(left, original) : Number.NEGATIVE_INFINITY;
  const to = right ? parseDay(right, original) + DAY - 1 : Number.POSITIVE_INFINITY;
  if (from > to) throw new QueryError(`Invalid Input: ${original}`);
  return { from, to };
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of query) {
    if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (/\s/.test(ch) && !quoted) {
      if (current) tokens.push(current);
      current = '';
    } else current += ch;
  }
  if (quoted) throw new QueryError(`Invalid Input: ${query}`);
  if (current) tokens.push(current);
  return tokens;
}

function unquote(value: string): string {
  return value.replace(/"/g, '');
}

const TEXT_FIELDS: (keyof FakeChromeDevice)[] = [
  'serialNumber',
  'annotatedAssetId',
  'annotatedUser',
  'annotatedLocation',
  'notes',
  'model',
  'macAddress',
  'ethernetMacAddress',
];

/** `id:` and `asset_id:` values named by a query, even an invalid one (for the request log). */
export function namedValues(query: string | undefined): { serials: string[]; assetIds: string[] } {
  const out = { serials: [] as string[], assetIds: [] as string[] };
  if (!query) return out;
  for (const m of query.matchAll(/(?:^|\s)(id|asset_id):("[^"]*"|\S*)/gi)) {
    const value = unquote(m[2] ?? '');
    if (m[1]!.toLowerCase() === 'id') out.serials.push(value);
    else out.assetIds.push(value);
  }
  return out;
}

export function parseQuery(query: string | undefined): ParsedQuery {
  const parsed: ParsedQuery = { terms: [], serials: [], assetIds: [] };
  if (!query?.trim()) return parsed;
  for (const token of tokenize(query.trim())) {
    const colon = token.indexOf(':');
    if (colon <= 0) {
      const value = unquote(token).toLowerCase();
      if (value) parsed.terms.push({ kind: 'text', fields: TEXT_FIELDS, value });
      continue;
    }
    const field = token.slice(0, colon).toLowerCase();
    const raw = token.slice(colon + 1);
    const value = unquote(raw);
    if (!value) throw new QueryError(`Invalid Input: ${token}`);
    switch (field) {
      case 'id':
        if (value.length < 3) throw new QueryError(`Invalid Input: ${token}`);
        parsed.serials.push(value);
        parsed.terms.push({ kind: 'id', value: value.toLowerCase() });
        break;
      case 'asset_id':
        parsed.assetIds.push(value);
        parsed.terms.push({ kind: 'asset_id', value: value.toLowerCase() });
        break;
      case 'status': {
        const v = value.toLowerCase();
        const status =
          v === 'provisioned' || v === 'active'
            ? 'ACTIVE'
            : v === 'disabled'
              ? 'DISABLED'
              : v === 'deprovisioned'
                ? 'DEPROVISIONED'
                : v === 'managed'
                  ? 'MANAGED'
                  : undefined;
        if (!status) throw new QueryError(`Invalid Input: ${token}`);
        parsed.terms.push({ kind: 'status', value: status });
        break;
      }
      case 'sync':
        parsed.terms.push({ kind: 'date', field: 'lastSync', range: parseDateRange(value, token) });
        break;
      case 'register':
        parsed.terms.push({ kind: 'date', field: 'lastEnrollmentTime', range: parseDateRange(value, token) });
        break;
      case 'aue':
        parsed.terms.push({ kind: 'date', field: 'autoUpdateThrough', range: parseDateRange(value, token) });
        break;
      case 'user':
        parsed.terms.push({ kind: 'text', fields: ['annotatedUser'], value: value.toLowerCase() });
        break;
      case 'location':
        parsed.terms.push({ kind: 'text', fields: ['annotatedLocation'], value: value.toLowerCase() });
        break;
      case 'note':
        parsed.terms.push({ kind: 'text', fields: ['notes'], value: value.toLowerCase() });
        break;
      case 'public_model_name':
        parsed.terms.push({ kind: 'text', fields: ['model'], value: value.toLowerCase() });
        break;
      case 'wifi_mac':
        parsed.terms.push({ kind: 'exact', fields: ['macAddress'], value: value.toLowerCase() });
        break;
      case 'ethernet_mac':
        parsed.terms.push({ kind: 'exact', fields: ['ethernetMacAddress'], value: value.toLowerCase() });
        break;
      default:
        throw new QueryError(`Invalid Input: ${token}`);
    }
  }
  return parsed;
}

function stringField(device: FakeChromeDevice, field: keyof FakeChromeDevice): string | undefined {
  const value = device[field];
  return typeof value === 'string' ? value : undefined;
}

/** Whether a device satisfies one term (the `id:`/`asset_id:` terms are usually pre-filtered by index). */
export function matchesTerm(device: FakeChromeDevice, term: QueryTerm): boolean {
  switch (term.kind) {
    case 'id':
      return device.serialNumber.toLowerCase().includes(term.value);
    case 'asset_id':
      return (device.annotatedAssetId ?? '').toLowerCase().includes(term.value);
    case 'status':
      return term.value === 'MANAGED' ? device.status !== 'DEPROVISIONED' : device.status === term.value;
    case 'date': {
      const text = device[term.field];
      if (typeof text !== 'string') return false;
      const ms = Date.parse(text);
      return ms >= term.range.from && ms <= term.range.to;
    }
    case 'text':
      return term.fields.some((f) => (stringField(device, f) ?? '').toLowerCase().includes(term.value));
    case 'exact':
      return term.fields.some(
        (f) => (stringField(device, f) ?? '').toLowerCase().replace(/:/g, '') === term.value,
      );
  }
}
