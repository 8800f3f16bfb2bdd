/**
 * `$filter` for `managedDevices` as Intune treats it: only simple `property op literal` clauses on a few
 * properties, joined by `and`, are applied. Anything else that parses — `or`, `not`, functions, parentheses,
 * other properties such as `userId` — is silently ignored and every device comes back (msgraph-metadata#1193,
 * microsoft-graph-explorer-v4#3125). `ne` acts as `eq` (Intune-PowerShell-SDK#114). Syntax errors, unknown
 * property names and mismatched literal types are rejected by Graph's OData layer with a 400.
 */
import { propertyNamed } from './fields.ts';
import type { FakeManagedDevice } from './types.ts';

export type Comparison = 'eq' | 'gt' | 'ge' | 'lt' | 'le';

export interface FilterClause {
  property: keyof FakeManagedDevice;
  comparison: Comparison;
  value: string;
}

export type ParsedFilter =
  | { kind: 'none'; serials: [] }
  | { kind: 'honoured'; clauses: FilterClause[]; serials: string[] }
  | { kind: 'unsupported'; serials: string[] }
  | { kind: 'invalid'; message: string; serials: string[] };

type Token = { type: 'string' | 'word' | 'punctuation'; text: string; at: number };

const STRING_COMPARISONS = new Set(['eq', 'ne']);
const DATE_COMPARISONS = new Set(['gt', 'ge', 'lt', 'le']);
/** What Intune applies; every other clause makes it ignore the whole filter. */
const SUPPORTED: Partial<Record<keyof FakeManagedDevice, Set<string>>> = {
  serialNumber: STRING_COMPARISONS,
  deviceName: STRING_COMPARISONS,
  operatingSystem: STRING_COMPARISONS,
  complianceState: STRING_COMPARISONS,
  managementAgent: STRING_COMPARISONS,
  userPrincipalName: STRING_COMPARISONS,
  azureADDeviceId: STRING_COMPARISONS,
  lastSyncDateTime: DATE_COMPARISONS,
  enrolledDateTime: DATE_COMPARISONS,
};
const OPERATORS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has', 'in']);
const DATE_LITERAL = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DATE_PROPERTY = /DateTime$|Date$/;
const UNTYPED_PROPERTIES = new Set(['deviceActionResults', 'configurationManagerClientEnabledFeatures']);

export function parseFilter(text: string | null): ParsedFilter {
  if (text === null || text.trim() === '') return { kind: 'none', serials: [] };
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { kind: 'invalid', message: tokens, serials: [] };
  const serials = namedSerials(tokens);
  if (tokens.some((token) => token.type === 'punctuation')) return { kind: 'unsupported', serials };
  const clauses: FilterClause[] = [];
  for (const group of splitOnAnd(tokens)) {
    const read = readClause(group, text);
    if ('error' in read) return { kind: 'invalid', message: read.error, serials };
    if ('unsupported' in read) return { kind: 'unsupported', serials };
    clauses.push(read.clause);
  }
  return { kind: 'honoured', clauses, serials };
}

/** Tokens, or the OData error message for an unterminated string. */
function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length)
          return `Invalid filter clause: There is an unterminated string literal at position ${start} in '${text}'.`;
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else value += text[i++];
      }
      tokens.push({ type: 'string', text: value, at: start });
    } else if ('(),'.includes(char)) {
      tokens.push({ type: 'punctuation', text: char, at: i++ });
    } else {
      const start = i;
      while (i < text.length && !/[\s(),']/.test(text[i]!)) i++;
      tokens.push({ type: 'word', text: text.slice(start, i), at: start });
    }
  }
  return tokens;
}

/** Serials named by `serialNumber eq '…'` anywhere, honoured or not: the request log shows what was asked. */
function namedSerials(tokens: Token[]): string[] {
  const serials: string[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [property, operator, literal] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (
      property.type === 'word' &&
      property.text.toLowerCase() === 'serialnumber' &&
      operator.type === 'word' &&
      operator.text.toLowerCase() === 'eq' &&
      literal.type === 'string'
    )
      serials.push(literal.text);
  }
  return serials;
}

function splitOnAnd(tokens: Token[]): Token[][] {
  const groups: Token[][] = [[]];
  for (const token of tokens) {
    if (token.type === 'word' && token.text.toLowerCase() === 'and') groups.push([]);
    else groups[groups.length - 1]!.push(token);
  }
  return groups;
}

type ClauseReading = { clause: FilterClause } | { unsupported: true } | { error: string };

/** A clause Intune applies, one it ignores, or Graph's OData error message. */
function readClause(group: Token[], text: string): ClauseReading {
  if (group.length === 0) return { error: `Invalid filter clause: Expression expected in '${text}'.` };
  if (group.length !== 3) return { unsupported: true };
  const [subject, operatorToken, literal] = group as [Token, Token, Token];
  if (subject.type !== 'word') return { unsupported: true };
  const property = propertyNamed(subject.text);
  if (!property)
    return {
      error: `Could not find a property named '${subject.text}' on type 'microsoft.graph.managedDevice'.`,
    };
  const operator = operatorToken.text.toLowerCase();
  if (operatorToken.type !== 'word' || !OPERATORS.has(operator))
    return { error: `Invalid filter clause: Syntax error at position ${operatorToken.at} in '${text}'.` };
  const typeError = literalTypeError(property, operator, literal);
  if (typeError) return { error: typeError };
  if (!SUPPORTED[property]?.has(operator)) return { unsupported: true };
  const comparison: Comparison = operator === 'ne' ? 'eq' : (operator as Comparison);
  return { clause: { property, comparison, value: literal.text } };
}

/** Graph refuses a string compared with a date and the other way round. */
function literalTypeError(
  property: keyof FakeManagedDevice,
  operator: string,
  literal: Token,
): string | undefined {
  if (UNTYPED_PROPERTIES.has(property) || (literal.type === 'word' && literal.text === 'null'))
    return undefined;
  const propertyType = DATE_PROPERTY.test(property) ? 'Edm.DateTimeOffset' : 'Edm.String';
  const literalType =
    literal.type === 'string'
      ? 'Edm.String'
      : DATE_LITERAL.test(literal.text)
        ? 'Edm.DateTimeOffset'
        : /^-?\d+(\.\d+)?$/.test(literal.text)
          ? 'Edm.Int32'
          : /^(true|false)$/i.test(literal.text)
            ? 'Edm.Boolean'
            : undefined;
  if (
    !literalType ||
    literalType === propertyType ||
    !['Edm.String', 'Edm.DateTimeOffset'].includes(literalType)
  )
    return undefined;
  const kinds: Record<string, string> = {
    eq: 'Equal',
    ne: 'NotEqual',
    gt: 'GreaterThan',
    ge: 'GreaterThanOrEqual',
    lt: 'LessThan',
    le: 'LessThanOrEqual',
  };
  return `A binary operator with incompatible types was detected. Found operand types '${propertyType}' and '${literalType}' for operator kind '${kinds[operator] ?? operator}'.`;
}

export interface MatchOptions {
  serialCaseSensitive: boolean;
}

export function matchesClauses(
  device: FakeManagedDevice,
  clauses: readonly FilterClause[],
  options: MatchOptions,
): boolean {
  for (const clause of clauses) if (!matchesClause(device, clause, options)) return false;
  return true;
}

function matchesClause(device: FakeManagedDevice, clause: FilterClause, options: MatchOptions): boolean {
  const actual = device[clause.property];
  if (typeof actual !== 'string') return false;
  if (clause.comparison === 'eq') {
    if (clause.property === 'serialNumber' && options.serialCaseSensitive) return actual === clause.value;
    return actual.toLowerCase() === clause.value.toLowerCase();
  }
  const difference = Date.parse(actual) - Date.parse(clause.value);
  if (Number.isNaN(difference)) return false;
  switch (clause.comparison) {
    case 'gt':
      return difference > 0;
    case 'ge':
      return difference >= 0;
    case 'lt':
      return difference < 0;
    default:
      return difference <= 0;
  }
}
