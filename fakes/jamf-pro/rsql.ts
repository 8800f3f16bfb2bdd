/**
 * The RSQL filter language of the Jamf Pro API, parsed into a tree. Grammar (FIQL/RSQL, as Jamf documents it):
 *
 *   or         = and { "," and }
 *   and        = constraint { ";" constraint }
 *   constraint = "(" or ")" | selector operator argument
 *   operator   = "==" | "!=" | "<" | "=lt=" | "<=" | "=le=" | ">" | "=gt=" | ">=" | "=ge=" | "=in=" | "=out="
 *   argument   = value | "(" value { "," value } ")"
 *   value      = unquoted characters | "double-quoted" | 'single-quoted' (a backslash escapes the next character)
 *
 * Whitespace between tokens is ignored; a value holding spaces must be quoted.
 */

export type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=in=' | '=out=';

export interface Comparison {
  kind: 'comparison';
  selector: string;
  operator: Operator;
  values: string[];
}

export interface Logical {
  kind: 'and' | 'or';
  children: RsqlNode[];
}

export type RsqlNode = Comparison | Logical;

export class RsqlSyntaxError extends Error {}

const OPERATOR_ALIASES: Record<string, Operator> = {
  '==': '==',
  '!=': '!=',
  '<': '<',
  '=lt=': '<',
  '<=': '<=',
  '=le=': '<=',
  '>': '>',
  '=gt=': '>',
  '>=': '>=',
  '=ge=': '>=',
  '=in=': '=in=',
  '=out=': '=out=',
};
const LIST_OPERATORS = new Set<Operator>(['=in=', '=out=']);
/** Characters that end an unquoted selector or value. */
const RESERVED = new Set(['"', "'", '(', ')', ';', ',', '=', '!', '~', '<', '>', ' ', '\t', '\n', '\r']);

export function parseRsql(text: string): RsqlNode {
  let pos = 0;

  const fail = (message: string): never => {
    throw new RsqlSyntaxError(`${message} at position ${pos} of the filter`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const peek = () => {
    skipSpace();
    return text[pos];
  };

  const parseOr = (): RsqlNode => {
    const children = [parseAnd()];
    while (peek() === ',') {
      pos++;
      children.push(parseAnd());
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  };

  const parseAnd = (): RsqlNode => {
    const children = [parseConstraint()];
    while (peek() === ';') {
      pos++;
      children.push(parseConstraint());
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  };

  const parseConstraint = (): RsqlNode => {
    if (peek() === '(') {
      pos++;
      const inner = parseOr();
      if (peek() !== ')') fail('Expected ")"');
      pos++;
      return inner;
    }
    const selector = parseUnquoted('a field name');
    const operator = parseOperator();
    const values = parseArgument(operator);
    return { kind: 'comparison', selector, operator, values };
  };

  const parseUnquoted = (what: string): string => {
    skipSpace();
    const start = pos;
    while (pos < text.length && !RESERVED.has(text[pos]!)) pos++;
    if (pos === start) fail(`Expected ${what}`);
    return text.slice(start, pos);
  };

  const parseOperator = (): Operator => {
    skipSpace();
    const match = /^(==|!=|<=|>=|<|>|=[a-z]*=)/i.exec(text.slice(pos));
    if (!match) return fail('Expected a comparison operator');
    const operator = OPERATOR_ALIASES[match[1]!.toLowerCase()];
    if (!operator) return fail(`Unknown operator ${match[1]}`);
    pos += match[1]!.length;
    return operator;
  };

  const parseArgument = (operator: Operator): string[] => {
    if (peek() !== '(') return [parseValue()];
    if (!LIST_OPERATORS.has(operator)) fail(`${operator} takes a single value, not a list`);
    pos++;
    const values = [parseValue()];
    while (peek() === ',') {
      pos++;
      values.push(parseValue());
    }
    if (peek() !== ')') fail('Expected ")" closing the list');
    pos++;
    return values;
  };

  const parseValue = (): string => {
    const quote = peek();
    if (quote !== '"' && quote !== "'") return parseUnquoted('a value');
    pos++;
    let value = '';
    while (pos < text.length && text[pos] !== quote) {
      if (text[pos] === '\\' && pos + 1 < text.length) pos++;
      value += text[pos];
      pos++;
    }
    if (pos >= text.length) fail(`Unterminated ${quote}-quoted value`);
    pos++;
    return value;
  };

  if (!text.trim()) return fail('Empty filter');
  const tree = parseOr();
  if (peek() !== undefined) fail(`Unexpected "${text[pos]}"`);
  return tree;
}

/** Every comparison in the tree, depth first. */
export function comparisons(node: RsqlNode): Comparison[] {
  return node.kind === 'comparison' ? [node] : node.children.flatMap(comparisons);
}

/**
 * Serials the tree restricts matches to, or undefined when it can match devices not named by serial:
 * a `==`/`=in=` comparison on the serial field names its values (a `*` pattern names none); an AND is
 * restricted by any restricted child; an OR only when every child is.
 */
export function restrictingValues(node: RsqlNode, selector: string): string[] | undefined {
  if (node.kind === 'comparison') {
    if (node.selector !== selector || (node.operator !== '==' && node.operator !== '=in=')) return undefined;
    return node.values.some((v) => v.includes('*')) ? undefined : node.values;
  }
  const parts = node.children.map((child) => restrictingValues(child, selector));
  if (node.kind === 'and') return parts.find((part) => part !== undefined);
  return parts.every((part) => part !== undefined) ? parts.flat() : undefined;
}
