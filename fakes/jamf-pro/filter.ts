/**
 * Turns a parsed RSQL tree into a test of one record, against a resource's filter fields. Values are read
 * by the field's type: strings compare without regard to case unless asked (Jamf: "not case sensitive when
 * doing string comparisons"), `*` in a `==`/`!=` string is a wildcard, dates compare as instants, numbers
 * and booleans as such. A record without a value never matches, not even `!=` or `=out=` (SQL's NULL).
 */
import { type FieldSpec, type FieldType, valueAt } from './resource.ts';
import { type Comparison, type Operator, type RsqlNode, RsqlSyntaxError } from './rsql.ts';

export class UnknownFieldError extends Error {
  readonly field: string;

  constructor(field: string) {
    super(`Invalid field: ${field}`);
    this.field = field;
  }
}

export type RecordTest = (record: unknown) => boolean;

type Scalar = string | number | boolean;

export function compileFilter(
  tree: RsqlNode,
  fields: ReadonlyMap<string, FieldSpec>,
  caseSensitive: boolean,
): RecordTest {
  if (tree.kind === 'comparison') return compileComparison(tree, fields, caseSensitive);
  const tests = tree.children.map((child) => compileFilter(child, fields, caseSensitive));
  return tree.kind === 'and'
    ? (record) => tests.every((test) => test(record))
    : (record) => tests.some((test) => test(record));
}

function compileComparison(
  comparison: Comparison,
  fields: ReadonlyMap<string, FieldSpec>,
  caseSensitive: boolean,
): RecordTest {
  const spec = fields.get(comparison.selector);
  if (!spec) throw new UnknownFieldError(comparison.selector);
  const read = (record: unknown): Scalar | undefined =>
    normalise(valueAt(record, spec.path), spec.type, caseSensitive);
  const { operator } = comparison;
  if (spec.type === 'string' && (operator === '==' || operator === '!=')) {
    const pattern = comparison.values[0]!;
    if (pattern.includes('*')) {
      const regex = wildcard(pattern, caseSensitive);
      return (record) => {
        const value = read(record);
        return value !== undefined && regex.test(String(value)) === (operator === '==');
      };
    }
  }
  const wanted = comparison.values.map((text) =>
    parseValue(text, spec.type, caseSensitive, comparison.selector),
  );
  if (operator === '=in=' || operator === '=out=') {
    const set = new Set<Scalar>(wanted);
    return (record) => {
      const value = read(record);
      return value !== undefined && set.has(value) === (operator === '=in=');
    };
  }
  const target = wanted[0]!;
  return (record) => {
    const value = read(record);
    return value !== undefined && compare(value, target, operator);
  };
}

function compare(value: Scalar, target: Scalar, operator: Exclude<Operator, '=in=' | '=out='>): boolean {
  switch (operator) {
    case '==':
      return value === target;
    case '!=':
      return value !== target;
    case '<':
      return value < target;
    case '<=':
      return value <= target;
    case '>':
      return value > target;
    case '>=':
      return value >= target;
  }
}

/** A record's value in comparable form, or undefined when it has none. */
function normalise(value: unknown, type: FieldType, caseSensitive: boolean): Scalar | undefined {
  if (value === null || value === undefined) return undefined;
  switch (type) {
    case 'string':
      return caseSensitive ? String(value) : String(value).toLowerCase();
    case 'number': {
      const n = Number(value);
      return Number.isNaN(n) ? undefined : n;
    }
    case 'boolean':
      return value === true || value === 'true';
    case 'date': {
      const ms = Date.parse(String(value));
      return Number.isNaN(ms) ? undefined : ms;
    }
  }
}

/** A filter argument in comparable form; a value the field's type cannot hold is a 400. */
function parseValue(text: string, type: FieldType, caseSensitive: boolean, field: string): Scalar {
  switch (type) {
    case 'string':
      return caseSensitive ? text : text.toLowerCase();
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n))
        throw new RsqlSyntaxError(`${field} needs a number, not "${text}"`);
      return n;
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false')
        throw new RsqlSyntaxError(`${field} needs true or false, not "${text}"`);
      return lower === 'true';
    }
    case 'date': {
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) throw new RsqlSyntaxError(`${field} needs a date, not "${text}"`);
      return ms;
    }
  }
}

function wildcard(pattern: string, caseSensitive: boolean): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, caseSensitive ? 's' : 'is');
}
