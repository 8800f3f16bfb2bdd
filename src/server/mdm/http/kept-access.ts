import type { z } from 'zod';

/**
 * The access a connection kept between runs (`SyncCapability.authorize`'s `cached`), in the provider's own form,
 * or null when there is none or it is not of that form (kept by an older version, say): then a new one is
 * asked for.
 */
export function keptAccess<T>(form: z.ZodType<T>, cached: string | null): T | null {
  if (cached === null) return null;
  try {
    const parsed = form.safeParse(JSON.parse(cached));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
