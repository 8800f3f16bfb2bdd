/**
 * One inventory list request (`section`, `page`, `page-size`, `sort`, `filter`) over a device store:
 * `{totalCount, results}` with only the asked sections filled and the others null. A filter that names
 * serials is answered from the serial index; any other is run over the cached sort order once and its
 * matches kept for the following pages.
 */
import { type ApiResult, errors } from './errors.ts';
import { compileFilter, type RecordTest, UnknownFieldError } from './filter.ts';
import { type FieldSpec, type InventoryResource, sectionKey, valueAt } from './resource.ts';
import { parseRsql, RsqlSyntaxError, restrictingValues } from './rsql.ts';
import type { DeviceStore } from './store.ts';

export const DEFAULT_PAGE_SIZE = 100;

export interface ListSettings {
  maxPageSize: number;
  rsqlCaseSensitive: boolean;
}

interface SortKey {
  field: string;
  spec: FieldSpec;
  descending: boolean;
}

class BadRequest extends Error {
  readonly result: ApiResult;

  constructor(result: ApiResult) {
    super(String(result.error));
    this.result = result;
  }
}

export function listInventory<T>(
  resource: InventoryResource<T>,
  store: DeviceStore<T>,
  params: URLSearchParams,
  settings: ListSettings,
): ApiResult {
  try {
    const sections = readSections(resource, params);
    const { page, pageSize } = readPaging(params, settings.maxPageSize);
    const sortText = params.get('sort') || resource.defaultSort;
    const sort = readSort(resource, sortText);
    const filter = readFilter(resource, params.get('filter'), settings.rsqlCaseSensitive);
    const matches = select(store, filter, sort, `${sortText}\u0000${settings.rsqlCaseSensitive}`);
    const results: unknown[] = [];
    for (let i = page * pageSize; i < Math.min(matches.length, (page + 1) * pageSize); i++) {
      results.push(project(store.records[matches[i]!] as Record<string, unknown>, resource, sections));
    }
    return {
      status: 200,
      headers: {},
      json: { totalCount: matches.length, results },
      resultCount: results.length,
    };
  } catch (error) {
    if (error instanceof BadRequest) return error.result;
    throw error;
  }
}

/**
 * What a list request asks for, for the request log: the serials its filter names, and whether it can
 * return devices not named by serial (a listing).
 */
export function describeFilter(
  resource: InventoryResource<unknown>,
  filter: string | null,
): { listing: boolean; serials: string[] } {
  if (!filter) return { listing: true, serials: [] };
  try {
    const tree = parseRsql(filter);
    const serials = namedSerials(tree, resource.serialField);
    return { listing: restrictingValues(tree, resource.serialField) === undefined, serials };
  } catch {
    return { listing: true, serials: [] };
  }
}

function namedSerials(tree: ReturnType<typeof parseRsql>, field: string): string[] {
  if (tree.kind === 'comparison')
    return tree.selector === field && (tree.operator === '==' || tree.operator === '=in=') ? tree.values : [];
  return tree.children.flatMap((child) => namedSerials(child, field));
}

function readSections(resource: InventoryResource<unknown>, params: URLSearchParams): Set<string> {
  const asked = params
    .getAll('section')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  if (asked.length === 0) return new Set(['GENERAL']);
  const sections = new Set<string>();
  for (const section of asked) {
    if (section === 'ALL' && resource.acceptsAll) for (const s of resource.sections) sections.add(s);
    else if (resource.sections.includes(section)) sections.add(section);
    else throw new BadRequest(errors.invalidField('section', section));
  }
  return sections;
}

function readPaging(params: URLSearchParams, maxPageSize: number): { page: number; pageSize: number } {
  const page = integerParam(params, 'page', 0);
  const pageSize = integerParam(params, 'page-size', DEFAULT_PAGE_SIZE);
  if (page < 0) throw new BadRequest(errors.invalidParameter('page', 'page must be 0 or more'));
  if (pageSize < 1 || pageSize > maxPageSize) {
    throw new BadRequest(
      errors.invalidParameter('page-size', `page-size must be between 1 and ${maxPageSize}, was ${pageSize}`),
    );
  }
  return { page, pageSize };
}

function integerParam(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name);
  if (text === null || text === '') return fallback;
  if (!/^-?\d+$/.test(text.trim())) {
    throw new BadRequest(errors.invalidParameter(name, `${name} must be an integer, was "${text}"`));
  }
  return Number(text);
}

function readSort(resource: InventoryResource<unknown>, text: string): SortKey[] {
  const keys = text.split(',').map((part): SortKey => {
    const [field = '', direction = 'asc', ...rest] = part.trim().split(':');
    const spec = resource.sortFields.get(field);
    if (!spec) throw new BadRequest(errors.invalidField('sort', field));
    if (rest.length > 0 || !/^(asc|desc)$/i.test(direction)) {
      throw new BadRequest(errors.invalidParameter('sort', `Invalid sort direction in "${part}"`));
    }
    return { field, spec, descending: direction.toLowerCase() === 'desc' };
  });
  // Equal keys fall back to the ID, so pages never overlap.
  const idField = resource.identityKeys[0]!;
  const idSpec = resource.sortFields.get(idField);
  if (idSpec && !keys.some((key) => key.field === idField))
    keys.push({ field: idField, spec: idSpec, descending: false });
  return keys;
}

interface Filter {
  test: RecordTest;
  /** Serials the filter restricts matches to, when it does. */
  serials?: string[];
  text: string;
}

function readFilter(
  resource: InventoryResource<unknown>,
  text: string | null,
  caseSensitive: boolean,
): Filter | undefined {
  if (!text?.trim()) return undefined;
  try {
    const tree = parseRsql(text);
    const test = compileFilter(tree, resource.filterFields, caseSensitive);
    const serials = restrictingValues(tree, resource.serialField);
    return serials ? { test, serials, text } : { test, text };
  } catch (error) {
    if (error instanceof UnknownFieldError) throw new BadRequest(errors.invalidField('filter', error.field));
    if (error instanceof RsqlSyntaxError) throw new BadRequest(errors.invalidFilter(error.message));
    throw error;
  }
}

function select<T>(
  store: DeviceStore<T>,
  filter: Filter | undefined,
  sort: SortKey[],
  cacheKey: string,
): Int32Array {
  const records = store.records;
  if (filter?.serials) {
    const candidates = store.withSerials(filter.serials).filter((i) => filter.test(records[i]));
    return sortPositions(Int32Array.from(candidates), records, sort);
  }
  const order = store.order(sort.map((k) => `${k.field}:${k.descending}`).join(','), () =>
    sortPositions(Int32Array.from(records.keys()), records, sort),
  );
  if (!filter) return order;
  return store.cachedResult(`${filter.text}\u0000${cacheKey}`, () =>
    order.filter((i) => filter.test(records[i])),
  );
}

/** Sorts positions by the sort keys, reading each record's keys once. */
function sortPositions(positions: Int32Array, records: readonly unknown[], sort: SortKey[]): Int32Array {
  const keys = sort.map((key) =>
    Array.from(positions, (i) => sortValue(valueAt(records[i], key.spec.path), key.spec)),
  );
  const local = Array.from(positions.keys());
  local.sort((a, b) => {
    for (let k = 0; k < sort.length; k++) {
      const order = compareKeys(keys[k]![a]!, keys[k]![b]!);
      if (order !== 0) return sort[k]!.descending ? -order : order;
    }
    return 0;
  });
  return Int32Array.from(local, (i) => positions[i]!);
}

type SortValue = string | number | null;

function sortValue(value: unknown, spec: FieldSpec): SortValue {
  if (value === null || value === undefined) return null;
  switch (spec.type) {
    case 'number':
      return Number(value);
    case 'date':
      return Date.parse(String(value));
    case 'boolean':
      return value === true ? 1 : 0;
    case 'string':
      return String(value).toLowerCase();
  }
}

/** Missing values sort first, as in MySQL. */
function compareKeys(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function project(
  record: Record<string, unknown>,
  resource: InventoryResource<unknown>,
  sections: Set<string>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of resource.identityKeys) result[key] = record[key] ?? null;
  for (const section of resource.sections) {
    const key = sectionKey(section);
    if (!sections.has(section)) result[key] = null;
    else result[key] = record[key] ?? (resource.objectSections.has(section) ? null : []);
  }
  return result;
}
