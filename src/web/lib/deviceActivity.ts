import type { DeviceHistory } from '../../common/inventory.ts';
import { formatDay } from './format.ts';
import { asDeviceType, statusLabel, TYPE_LABELS } from './inventory.ts';

export type HistoryEvent = DeviceHistory['events'][number];

/** Names for ids that audit details record (schools, people). */
export interface ActivityNames {
  school(id: string): string | undefined;
  person(id: string): string | undefined;
}

export interface ActivityText {
  title: string;
  /** Extra lines, e.g. each changed field as "Status: In service → Lost". */
  lines: string[];
}

/** Audit details name database columns; these are the ones a device change can record. */
const FIELD_LABELS: Record<string, string> = {
  serial_number: 'Serial number',
  asset_tag: 'Asset tag',
  model: 'Model',
  manufacturer: 'Manufacturer',
  type: 'Type',
  status: 'Status',
  school_id: 'School',
  assigned_person_id: 'Assigned to',
  purchase_date: 'Purchase date',
  warranty_end: 'Warranty end',
  notes: 'Notes',
};

/** Internal bookkeeping columns that mean nothing to a reader. */
const HIDDEN_FIELDS = new Set(['serial_key', 'updated_at', 'created_at']);

function humanize(field: string): string {
  const words = field.replace(/_id$/, '').replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function formatFieldValue(field: string, value: unknown, names: ActivityNames): string {
  if (value === null || value === undefined || value === '') return 'none';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (field) {
    case 'status':
      return statusLabel(value);
    case 'type': {
      const type = asDeviceType(value);
      return type ? TYPE_LABELS[type] : text;
    }
    case 'school_id':
      return names.school(text) ?? 'a school no longer listed';
    case 'assigned_person_id':
      return names.person(text) ?? 'another person';
    case 'purchase_date':
    case 'warranty_end':
      return formatDay(text);
    default:
      return truncate(text);
  }
}

function changeLines(changes: unknown, names: ActivityNames): string[] {
  if (typeof changes !== 'object' || changes === null) return [];
  return Object.entries(changes as Record<string, unknown>).flatMap(([field, change]) => {
    if (HIDDEN_FIELDS.has(field)) return [];
    const label = FIELD_LABELS[field] ?? humanize(field);
    if (typeof change !== 'object' || change === null || !('to' in change)) {
      return [`${label} changed`];
    }
    const { from, to } = change as { from?: unknown; to: unknown };
    return [`${label}: ${formatFieldValue(field, from, names)} → ${formatFieldValue(field, to, names)}`];
  });
}

function stringDetail(details: Record<string, unknown>, key: string): string | undefined {
  const value = details[key];
  return typeof value === 'string' && value ? value : undefined;
}

/** A sentence for one audit event of a device, never raw JSON. */
export function describeDeviceEvent(event: HistoryEvent, names: ActivityNames): ActivityText {
  const details = event.details;
  const viaImport = details.source === 'csv_import';
  switch (event.action) {
    case 'device.created': {
      const lines: string[] = [];
      if (details.status) lines.push(`Status: ${statusLabel(details.status)}`);
      const assetTag = stringDetail(details, 'assetTag');
      if (assetTag) lines.push(`Asset tag: ${assetTag}`);
      return { title: viaImport ? 'Created by CSV import' : 'Created', lines };
    }
    case 'device.updated': {
      const lines = changeLines(details.changes, names);
      let title = 'Updated';
      if (viaImport) title = 'Updated by CSV import';
      else if (details.bulk) title = 'Updated in a bulk change';
      return { title, lines };
    }
    case 'device.checked_out': {
      const personId = stringDetail(details, 'personId');
      const name =
        stringDetail(details, 'personName') ?? (personId ? names.person(personId) : undefined) ?? 'someone';
      const lines = details.status ? changeLines({ status: details.status }, names) : [];
      return { title: `Checked out to ${name}`, lines };
    }
    case 'device.checked_in': {
      const personId = stringDetail(details, 'personId');
      const name = personId ? names.person(personId) : undefined;
      const note = stringDetail(details, 'note');
      return {
        title: name ? `Checked in from ${name}` : 'Checked in',
        lines: note ? [`Note: ${truncate(note, 300)}`] : [],
      };
    }
    default:
      return {
        title: humanize(event.action.replace(/^device\./, '')),
        lines: changeLines(details.changes, names),
      };
  }
}
