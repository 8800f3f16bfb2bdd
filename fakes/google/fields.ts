/**
 * Google's partial-response `fields` parameter: comma-separated selections, `a/b` for sub-fields,
 * `a(b,c)` for sub-selections (nestable), `*` for everything at a level. Unselected keys are dropped,
 * including top-level ones such as `kind` and `nextPageToken`.
 */

export type FieldTree = Map<string, FieldTree | true>;

export class FieldsSyntaxError extends Error {}

export function parseFields(input: string): FieldTree {
  let pos = 0;
  const text = input.replace(/\s+/g, '');

  function parseList(): FieldTree {
    const tree: FieldTree = new Map();
    for (;;) {
      parseSelection(tree);
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      return tree;
    }
  }

  function parseName(): string {
    const start = pos;
    while (pos < text.length && /[A-Za-z0-9_$.*@#-]/.test(text[pos] ?? '')) pos++;
    if (pos === start) throw new FieldsSyntaxError(`Invalid field selection ${text.slice(start) || input}`);
    return text.slice(start, pos);
  }

  function parseSelection(into: FieldTree): void {
    const path = [parseName()];
    while (text[pos] === '/') {
      pos++;
      path.push(parseName());
    }
    let leaf: FieldTree | true = true;
    if (text[pos] === '(') {
      pos++;
      leaf = parseList();
      if (text[pos] !== ')') throw new FieldsSyntaxError(`Invalid field selection ${input}`);
      pos++;
    }
    let node = into;
    for (let i = 0; i < path.length; i++) {
      const name = path[i]!;
      const last = i === path.length - 1;
      const existing = node.get(name);
      if (last) {
        if (existing === true) return;
        if (leaf === true || existing === undefined) node.set(name, leaf);
        else mergeTrees(existing, leaf);
        return;
      }
      if (existing === true) return;
      if (existing === undefined) {
        const child: FieldTree = new Map();
        node.set(name, child);
        node = child;
      } else node = existing;
    }
  }

  const tree = parseList();
  if (pos !== text.length) throw new FieldsSyntaxError(`Invalid field selection ${input}`);
  return tree;
}

function mergeTrees(target: FieldTree, source: FieldTree): void {
  for (const [key, value] of source) {
    const existing = target.get(key);
    if (existing === true) continue;
    if (value === true || existing === undefined) target.set(key, value);
    else mergeTrees(existing, value);
  }
}

/** Returns the trimmed value; arrays apply the selection to each element. Never mutates `value`. */
export function applyFields(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((item) => applyFields(item, tree));
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const star = tree.get('*');
  if (star !== undefined) {
    for (const key of Object.keys(source)) {
      if (source[key] === undefined) continue;
      out[key] = star === true ? source[key] : applyFields(source[key], star);
    }
  }
  for (const [key, sub] of tree) {
    if (key === '*') continue;
    const item = source[key];
    if (item === undefined) continue;
    out[key] = sub === true ? item : applyFields(item, sub);
  }
  return out;
}

/**
 * Checks a selection against known field names (per nesting level). `schema` maps a field to the
 * schema of its elements, or to `null` when its contents are not checked.
 */
export interface FieldSchema {
  [field: string]: FieldSchema | null;
}

export function unknownField(tree: FieldTree, schema: FieldSchema, prefix = ''): string | undefined {
  for (const [key, sub] of tree) {
    if (key === '*') continue;
    if (!Object.hasOwn(schema, key)) return prefix + key;
    const child = schema[key];
    if (sub !== true && child) {
      const bad = unknownField(sub, child, `${prefix}${key}/`);
      if (bad) return bad;
    }
  }
  return undefined;
}
