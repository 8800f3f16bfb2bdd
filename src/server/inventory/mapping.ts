import type {
  Assignment,
  Device,
  DeviceListItem,
  Person,
  PersonSummary,
  School,
} from '../../common/inventory.ts';
import type { MdmSourceCondition } from '../../common/mdm-source.ts';
import type { AssignmentWithPerson } from './assignment-queries.ts';
import { type MdmSummaryRow, toMdmSummary } from './device-mdm.ts';
import type { DeviceWithNames } from './device-queries.ts';
import type { PersonWithNames } from './people-queries.ts';
import type { listSchools } from './school-queries.ts';

export function toDevice(row: DeviceWithNames): Device {
  return {
    id: row.id,
    serialNumber: row.serial_number,
    serialKey: row.serial_key,
    assetTag: row.asset_tag,
    model: row.model,
    manufacturer: row.manufacturer,
    type: row.type,
    status: row.status,
    school: row.school_id && row.school_name ? { id: row.school_id, name: row.school_name } : null,
    assignedTo:
      row.assigned_person_id && row.person_name && row.person_kind
        ? {
            id: row.assigned_person_id,
            name: row.person_name,
            email: row.person_email,
            externalId: row.person_external_id,
            kind: row.person_kind,
          }
        : null,
    purchaseDate: row.purchase_date,
    warrantyEnd: row.warranty_end,
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toDeviceListItem(
  row: DeviceWithNames & MdmSummaryRow,
  conditions: ReadonlyMap<string, MdmSourceCondition>,
): DeviceListItem {
  return { ...toDevice(row), mdm: toMdmSummary(row, conditions) };
}

export function toAssignment(row: AssignmentWithPerson): Assignment {
  const person: PersonSummary = {
    id: row.person_id,
    name: row.person_name,
    email: row.person_email,
    externalId: row.person_external_id,
    kind: row.person_kind,
  };
  return {
    id: row.id,
    person,
    checkedOutAt: row.checked_out_at.toISOString(),
    checkedOutBy: row.checked_out_by,
    checkedInAt: row.checked_in_at?.toISOString() ?? null,
    checkedInBy: row.checked_in_by,
    checkInNote: row.check_in_note,
  };
}

export function toPerson(row: PersonWithNames): Person {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    externalId: row.external_id,
    kind: row.kind,
    grade: row.grade,
    school: row.school_id && row.school_name ? { id: row.school_id, name: row.school_name } : null,
    active: row.active,
    deviceCount: Number(row.device_count ?? 0),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toSchool(row: Awaited<ReturnType<typeof listSchools>>[number]): School {
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    deviceCount: Number(row.device_count ?? 0),
    createdAt: row.created_at.toISOString(),
  };
}

/** Before/after of the fields that changed, for the audit log. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const previous = before[field];
    const same =
      previous instanceof Date || value instanceof Date
        ? String(previous) === String(value)
        : previous === value;
    if (!same) changes[field] = { from: previous ?? null, to: value ?? null };
  }
  return changes;
}
