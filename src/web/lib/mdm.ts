import type { AuthMethod, ConnectionState, ProviderTile } from '../../common/mdm.ts';
import { ApiError, type FieldIssue } from '../api/client.ts';

/** What a tile's status badge shows: the connection state, or `syncing` while a sync runs. */
export type TileStatus = ConnectionState | 'syncing';

export const TILE_STATUS: Record<TileStatus, { label: string; color: string }> = {
  inactive: { label: 'Inactive', color: 'gray' },
  needs_authorization: { label: 'Needs authorization', color: 'yellow' },
  active: { label: 'Active', color: 'green' },
  syncing: { label: 'Syncing', color: 'blue' },
  error: { label: 'Error', color: 'red' },
  needs_reauthorization: { label: 'Needs re-authorization', color: 'orange' },
};

/**
 * The server does not report running syncs yet (`lastSync` is always null); once it does, an active tile whose
 * last sync is still running shows as Syncing.
 */
export function tileStatus(tile: ProviderTile): TileStatus {
  if (tile.state === 'active' && tile.lastSync?.state === 'running') return 'syncing';
  return tile.state;
}

/** The sync intervals offered (minutes); the server accepts any whole number from 60 to 10,080. */
export const INTERVAL_OPTIONS: readonly { value: number; label: string }[] = [
  { value: 60, label: 'Every hour' },
  { value: 120, label: 'Every 2 hours' },
  { value: 240, label: 'Every 4 hours' },
  { value: 360, label: 'Every 6 hours' },
  { value: 720, label: 'Every 12 hours' },
  { value: 1440, label: 'Every day' },
  { value: 2880, label: 'Every 2 days' },
  { value: 10080, label: 'Every 7 days' },
];

export function intervalLabel(minutes: number): string {
  const known = INTERVAL_OPTIONS.find((option) => option.value === minutes);
  if (known) return known.label;
  if (minutes % 60 === 0) return `Every ${minutes / 60} hours`;
  return `Every ${minutes} minutes`;
}

/** The sync interval choices, plus a stored value set some other way (e.g. through the API) so it is kept. */
export function intervalOptions(current: number): { value: string; label: string }[] {
  const options = INTERVAL_OPTIONS.map((option) => ({ value: String(option.value), label: option.label }));
  if (!INTERVAL_OPTIONS.some((option) => option.value === current)) {
    options.push({ value: String(current), label: intervalLabel(current) });
    options.sort((a, b) => Number(a.value) - Number(b.value));
  }
  return options;
}

export function storedAuthMethod(tile: ProviderTile): AuthMethod | null {
  const method = tile.settings?.authMethod;
  return method === 'oauth' || method === 'service_account' ? method : null;
}

/**
 * Server validation issues for a settings form: `settings.orgUnitPaths.2` belongs to the `orgUnitPaths` field.
 * Returns the errors per field and the issue paths they came from (so FormError lists only the others).
 */
export function settingsFieldErrors(
  error: unknown,
  fields: readonly string[],
): { errors: Record<string, string>; placed: string[] } {
  const errors: Record<string, string> = {};
  const placed: string[] = [];
  if (!(error instanceof ApiError)) return { errors, placed };
  for (const issue of error.fieldIssues) {
    const field = settingsField(issue);
    if (!field || !fields.includes(field)) continue;
    placed.push(issue.path);
    if (!(field in errors)) errors[field] = issue.message;
  }
  return { errors, placed };
}

function settingsField(issue: FieldIssue): string | undefined {
  const match = /^settings\.([^.]+)/.exec(issue.path);
  return match?.[1];
}

/** Only same-origin paths and http(s) addresses become links. */
export function safeHref(href: string): string | undefined {
  if (href.startsWith('/') && !href.startsWith('//')) return href;
  return /^https?:\/\//i.test(href) ? href : undefined;
}
