/**
 * What an inventory endpoint serves, described once so computers and mobile devices share one list handler:
 * its sections, the fields `filter` and `sort` accept (each with its place in the record and its type),
 * the field that holds the serial number, and the privilege it needs.
 */

export type FieldType = 'string' | 'number' | 'boolean' | 'date';

export interface FieldSpec {
  /** Keys from the record down to the value, e.g. ['general', 'name']. */
  path: readonly string[];
  type: FieldType;
}

export interface InventoryResource<T> {
  /** Request-log operation, e.g. `computers.list`. */
  operation: string;
  privilege: string;
  /** Section names the `section` parameter accepts (ALL, where allowed, selects every one). */
  sections: readonly string[];
  acceptsAll: boolean;
  /** Sections that are objects (the others are lists, served as [] when a record has none). */
  objectSections: ReadonlySet<string>;
  /** Keys every result carries whatever the sections (`id`, `udid`). */
  identityKeys: readonly string[];
  defaultSort: string;
  filterFields: ReadonlyMap<string, FieldSpec>;
  sortFields: ReadonlyMap<string, FieldSpec>;
  /** The filter field naming a device's serial number. */
  serialField: string;
  idOf(record: T): string;
}

/** `USER_AND_LOCATION` → `userAndLocation`: the record key a section fills. */
export function sectionKey(section: string): string {
  return section.toLowerCase().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Builds a field table: `paths` maps a field name to its path (dotted; defaults to the name itself),
 * and every field not listed in `types` is a string.
 */
export function fieldTable(
  paths: Record<string, string>,
  types: Partial<Record<Exclude<FieldType, 'string'>, readonly string[]>>,
): ReadonlyMap<string, FieldSpec> {
  const typeOf = new Map<string, FieldType>();
  for (const [type, names] of Object.entries(types))
    for (const name of names) typeOf.set(name, type as FieldType);
  const table = new Map<string, FieldSpec>();
  for (const [name, path] of Object.entries(paths)) {
    table.set(name, { path: (path || name).split('.'), type: typeOf.get(name) ?? 'string' });
  }
  return table;
}

/** A table of fields whose names are their own dotted paths. */
export function dottedFields(
  names: readonly string[],
  types: Partial<Record<Exclude<FieldType, 'string'>, readonly string[]>>,
): ReadonlyMap<string, FieldSpec> {
  return fieldTable(Object.fromEntries(names.map((name) => [name, name])), types);
}

export function valueAt(record: unknown, path: readonly string[]): unknown {
  let value = record;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
