/**
 * Which optional columns of a table someone sees. `shown` is what they picked; `offered` is every column the
 * chooser has offered them, so a column that comes later (a provider's, once its data arrives) shows by
 * default if it is one of the defaults — while one they already saw and hid stays hidden.
 */
export interface ColumnChoice {
  shown: string[];
  offered: string[];
}

/** The columns to show, in the table's order, of those `available` now. */
export function shownColumns(
  choice: ColumnChoice | null,
  available: readonly string[],
  defaults: readonly string[],
): string[] {
  if (!choice) return available.filter((id) => defaults.includes(id));
  return available.filter(
    (id) => choice.shown.includes(id) || (defaults.includes(id) && !choice.offered.includes(id)),
  );
}

/** The choice after someone picks `shown` out of `available`. */
export function chooseColumns(
  previous: ColumnChoice | null,
  shown: readonly string[],
  available: readonly string[],
): ColumnChoice {
  const offered = new Set([...(previous?.offered ?? []), ...available]);
  // Columns picked earlier but not available right now (a provider without data today) stay picked.
  const kept = (previous?.shown ?? []).filter((id) => !available.includes(id));
  return { shown: [...new Set([...kept, ...shown])], offered: [...offered] };
}

/**
 * A stored choice, or null when there is none or it cannot be read. The first stored form was a bare list of
 * shown columns, made when only `firstOffered` existed.
 */
export function readColumnChoice(
  stored: string | null,
  firstOffered: readonly string[],
): ColumnChoice | null {
  try {
    const parsed: unknown = stored ? JSON.parse(stored) : null;
    const strings = (value: unknown): string[] | null =>
      Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
    const bare = strings(parsed);
    if (bare) return { shown: bare, offered: [...firstOffered] };
    if (parsed && typeof parsed === 'object') {
      const shown = strings((parsed as ColumnChoice).shown);
      const offered = strings((parsed as ColumnChoice).offered);
      if (shown && offered) return { shown, offered };
    }
    return null;
  } catch {
    return null;
  }
}
