import type { AuditEvent } from '../../common/audit.ts';
import { ROLE_LABELS, type Role } from '../../common/permissions.ts';
import { formatCount, formatDateTime } from './format.ts';
import { STATUS_LABELS } from './inventory.ts';

/** Names the sentence needs that the event itself does not carry. */
export interface AuditNames {
  /** The acting user's name, when they are still a user of the district. */
  actor: (event: AuditEvent) => string;
  /** A provider's name for its key ("google" → "Google Admin"). */
  provider: (key: string) => string;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

function quoted(value: unknown): string {
  const name = text(value);
  return name ? `“${name}”` : 'an item';
}

/** One sentence per event: "Maria Lopez deactivated Google Admin". */
export function auditSentence(event: AuditEvent, names: AuditNames): string {
  const who = names.actor(event);
  const details = event.details;
  const provider = names.provider(event.subjectId ?? '');
  const serial = text(details.serialNumber) ?? 'a device';
  const role = ROLE_LABELS[details.role as Role]?.toLowerCase();
  switch (event.action) {
    case 'auth.signed_in':
      return `${who} signed in`;
    case 'auth.sign_in_failed':
      return `Someone failed to sign in as ${who}`;
    case 'auth.sign_in_blocked':
      return `A sign-in as ${who} was blocked while the account was locked`;
    case 'district.created':
      return `${who} set up the district ${quoted(details.name)}`;
    case 'district.updated':
      return `${who} changed the district’s settings`;
    case 'user.created':
      return `${who} added ${text(details.name) ?? 'a user'} (${text(details.email) ?? 'no email'})${role ? ` as ${role}` : ''}`;
    case 'user.updated':
      return details.passwordReset
        ? `${who} reset the password of ${text(details.email) ?? 'a user'}`
        : `${who} changed the account of ${text(details.email) ?? 'a user'}`;
    case 'user.password_changed':
      return `${who} changed their password`;
    case 'token.created':
      return `${who} created the API token ${quoted(details.name)}`;
    case 'token.revoked':
      return `${who} revoked the API token ${quoted(details.name)}`;
    case 'mdm.activated':
      return `${who} activated ${provider}`;
    case 'mdm.settings_changed':
      return `${who} changed the settings of ${provider}`;
    case 'mdm.authorization_started':
      return `${who} started authorizing ${provider}`;
    case 'mdm.authorization_refused':
      return `${provider} refused ${who}’s authorization${text(details.error) ? `: ${details.error}` : ''}`;
    case 'mdm.authorized':
      return `${who} authorized ${provider}${text(details.account) ? ` as ${details.account}` : ''}`;
    case 'mdm.deactivated':
      return `${who} deactivated ${provider}`;
    case 'mdm.disconnected':
      return `${who} disconnected ${provider}`;
    case 'mdm.data_removed':
      return typeof details.removed === 'number'
        ? `${who} removed ${formatCount(details.removed)} devices’ synced data from ${provider}`
        : `${who} removed the synced data from ${provider}`;
    case 'person.created':
      return `${who} added ${text(details.name) ?? 'a person'}`;
    case 'person.updated':
      return `${who} changed ${text(details.name) ?? 'a person'}`;
    case 'school.created':
      return `${who} added the school ${quoted(details.name)}`;
    case 'school.updated':
      return `${who} changed the school ${quoted(details.name)}`;
    case 'device.created':
      return `${who} added device ${serial}`;
    case 'device.updated':
      return `${who} changed device ${serial}${details.bulk ? ' in a bulk change' : ''}`;
    case 'device.checked_out':
      return `${who} checked out ${serial} to ${text(details.personName) ?? 'a person'}`;
    case 'device.checked_in':
      return `${who} checked in ${serial}${text(details.personName) ? ` from ${details.personName}` : ''}`;
    case 'devices.imported':
      return `${who} imported a device spreadsheet: ${formatCount(Number(details.created) || 0)} added, ${formatCount(Number(details.updated) || 0)} updated, ${formatCount(Number(details.rejected) || 0)} rejected`;
    default:
      return `${who}: ${event.action}`;
  }
}

/** "assetTag" → "Asset tag". */
export function fieldLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A recorded value as a person reads it: statuses in words, times in local time, nothing as "(empty)". */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') {
    if (value in STATUS_LABELS) return STATUS_LABELS[value as keyof typeof STATUS_LABELS];
    if (value in ROLE_LABELS) return ROLE_LABELS[value as Role];
    if (ISO_TIME.test(value)) return formatDateTime(value);
    return value;
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return formatCount(value);
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  return JSON.stringify(value);
}

export interface AuditChange {
  field: string;
  from: string;
  to: string;
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && 'from' in value && 'to' in value;
}

/**
 * What changed, field by field, from an event's `changes` (or its own `{ from, to }` fields, as a check-out
 * records a status it changed).
 */
export function auditChanges(event: AuditEvent): AuditChange[] {
  const recorded = event.details.changes;
  const source =
    recorded && typeof recorded === 'object' && !Array.isArray(recorded)
      ? (recorded as Record<string, unknown>)
      : event.details;
  return Object.entries(source)
    .filter((entry): entry is [string, { from: unknown; to: unknown }] => isChange(entry[1]))
    .map(([field, change]) => ({
      field: fieldLabel(field),
      from: valueText(change.from),
      to: valueText(change.to),
    }));
}
