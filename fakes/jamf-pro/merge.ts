/**
 * Applies a patch to a record without touching the original: objects are merged key by key at every depth,
 * anything else (values, arrays, null) replaces. Records may share sub-objects, so none is changed in place.
 */
export function mergePatch<T>(record: T, patch: unknown): T {
  if (!isPlainObject(record) || !isPlainObject(patch)) return patch as T;
  const merged: Record<string, unknown> = { ...record };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? mergePatch(merged[key], value) : value;
  }
  return merged as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
