import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import {
  DEVICE_STATUSES,
  DEVICE_TYPES,
  type DeviceStatus,
  type DeviceType,
  type ImportProblem,
  type ImportResult,
  OUT_OF_USE_STATUSES,
  serialKey,
} from '../../common/inventory.ts';
import { type AuditEntry, recordAuditBatch } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { DB, DeviceRow } from '../db/schema.ts';
import {
  type BatchOutcome,
  dateValue,
  type Executor,
  enumValue,
  type ImportOptions,
  type ImportPlan,
  runImport,
} from './csv/import-runner.ts';
import type { CsvRow } from './csv/read-csv.ts';
import * as queries from './import-queries.ts';
import { changedFields } from './mapping.ts';

const COLUMNS = [
  'serial_number',
  'asset_tag',
  'model',
  'manufacturer',
  'type',
  'status',
  'school',
  'assigned_to',
  'notes',
  'purchase_date',
  'warranty_end',
] as const;

const LIMITS: Partial<Record<(typeof COLUMNS)[number], number>> = {
  serial_number: 100,
  asset_tag: 100,
  model: 200,
  manufacturer: 200,
  school: 200,
  assigned_to: 254,
  notes: 5000,
};

interface DeviceImportRow {
  line: number;
  serialNumber: string;
  key: string;
  assetTag?: string;
  model?: string;
  manufacturer?: string;
  type?: DeviceType;
  status?: DeviceStatus;
  school?: string;
  assignedTo?: string;
  notes?: string;
  purchaseDate?: string;
  warrantyEnd?: string;
}

function parseRow({ line, cells }: CsvRow): ReturnType<ImportPlan<DeviceImportRow>['parse']> {
  const problems: ImportProblem[] = [];
  const cell = (column: (typeof COLUMNS)[number]): string | undefined => {
    const value = cells[column];
    if (!value) return undefined;
    const limit = LIMITS[column];
    if (limit && value.length > limit) {
      problems.push({ line, column, reason: `Longer than ${limit} characters (${value.length})` });
      return undefined;
    }
    return value;
  };
  const serialNumber = cell('serial_number');
  const key = serialKey(serialNumber ?? '');
  if (!serialNumber && !problems.length)
    problems.push({ line, column: 'serial_number', reason: 'Serial number is required' });
  else if (serialNumber && !key)
    problems.push({ line, column: 'serial_number', reason: 'Serial number has no visible characters' });
  const row: DeviceImportRow = { line, serialNumber: serialNumber ?? '', key };
  const optional = {
    asset_tag: 'assetTag',
    model: 'model',
    manufacturer: 'manufacturer',
    school: 'school',
    assigned_to: 'assignedTo',
    notes: 'notes',
  } as const;
  for (const [column, field] of Object.entries(optional) as [
    keyof typeof optional,
    (typeof optional)[keyof typeof optional],
  ][]) {
    const value = cell(column);
    if (value !== undefined) row[field] = value;
  }
  const typeCell = cell('type');
  if (typeCell !== undefined) {
    row.type = enumValue(typeCell, DEVICE_TYPES);
    if (!row.type)
      problems.push({
        line,
        column: 'type',
        reason: `Unknown type "${typeCell}"; use one of ${DEVICE_TYPES.join(', ')}`,
      });
  }
  const statusCell = cell('status');
  if (statusCell !== undefined) {
    row.status = enumValue(statusCell, DEVICE_STATUSES);
    if (!row.status)
      problems.push({
        line,
        column: 'status',
        reason: `Unknown status "${statusCell}"; use one of ${DEVICE_STATUSES.join(', ')}`,
      });
  }
  for (const [column, field] of [
    ['purchase_date', 'purchaseDate'],
    ['warranty_end', 'warrantyEnd'],
  ] as const) {
    const value = cell(column);
    if (value === undefined) continue;
    const date = dateValue(value);
    if (date) row[field] = date;
    else problems.push({ line, column, reason: `"${value}" is not a date; use YYYY-MM-DD or MM/DD/YYYY` });
  }
  return problems.length > 0 ? { row: undefined, problems } : { row, problems: [] };
}

function toRecord(device: DeviceRow): queries.DeviceRecord {
  return {
    id: device.id,
    serial_number: device.serial_number,
    serial_key: device.serial_key,
    asset_tag: device.asset_tag,
    model: device.model,
    manufacturer: device.manufacturer,
    type: device.type,
    status: device.status,
    school_id: device.school_id,
    assigned_person_id: device.assigned_person_id,
    purchase_date: device.purchase_date,
    warranty_end: device.warranty_end,
    notes: device.notes,
  };
}

export function devicePlan(ctx: RequestContext): ImportPlan<DeviceImportRow> {
  let schools: Map<string, string> | undefined;

  async function processBatch(db: Executor, rows: DeviceImportRow[], write: boolean): Promise<BatchOutcome> {
    schools ??= await queries.schoolLookup(db, ctx.districtId);
    const existing = new Map(
      (
        await queries.devicesBySerialKeys(
          db,
          ctx.districtId,
          rows.map((row) => row.key),
        )
      ).map((device) => [device.serial_key, device]),
    );
    const tags = rows.flatMap((row) => (row.assetTag ? [row.assetTag] : []));
    const tagOwners = new Map(
      (tags.length ? await queries.devicesByAssetTags(db, ctx.districtId, tags) : []).map((device) => [
        device.asset_tag!.toLowerCase(),
        device,
      ]),
    );
    const references = [...new Set(rows.flatMap((row) => (row.assignedTo ? [row.assignedTo] : [])))];
    const people = references.length ? await queries.peopleByReferences(db, ctx.districtId, references) : [];
    const personFor = (reference: string) =>
      people.find((person) => person.email?.toLowerCase() === reference.toLowerCase()) ??
      people.find((person) => person.external_id === reference);

    const outcome: BatchOutcome = { create: 0, update: 0, unchanged: 0, problems: [] };
    const creates: { record: queries.DeviceRecord; line: number }[] = [];
    const updates: {
      record: queries.DeviceRecord;
      before: DeviceRow;
      diff: Record<string, { from: unknown; to: unknown }>;
    }[] = [];
    const closeFor: string[] = [];
    const checkIns: string[] = [];
    const newAssignments: { key: string; personId: string }[] = [];

    for (const row of rows) {
      const problems: ImportProblem[] = [];
      const before = existing.get(row.key);
      const owner = row.assetTag ? tagOwners.get(row.assetTag.toLowerCase()) : undefined;
      if (owner && owner.serial_key !== row.key) {
        problems.push({
          line: row.line,
          column: 'asset_tag',
          reason: `Asset tag ${row.assetTag} is already on device ${owner.serial_number}`,
        });
      }
      let schoolId: string | undefined;
      if (row.school) {
        schoolId = schools.get(row.school.toLowerCase());
        if (!schoolId)
          problems.push({
            line: row.line,
            column: 'school',
            reason: `No school named or coded "${row.school}"`,
          });
      }
      let personId: string | undefined;
      if (row.assignedTo) {
        const person = personFor(row.assignedTo);
        if (!person)
          problems.push({
            line: row.line,
            column: 'assigned_to',
            reason: `No person with email or external id "${row.assignedTo}"`,
          });
        else if (!person.active)
          problems.push({ line: row.line, column: 'assigned_to', reason: `${person.name} is inactive` });
        else personId = person.id;
      }
      const status = row.status ?? before?.status ?? 'in_service';
      if (personId && OUT_OF_USE_STATUSES.includes(status)) {
        problems.push({
          line: row.line,
          column: 'assigned_to',
          reason: `A ${status} device cannot be checked out`,
        });
      }
      if (problems.length > 0) {
        outcome.problems.push(...problems);
        continue;
      }

      const next: queries.DeviceRecord = {
        ...(before
          ? toRecord(before)
          : {
              serial_key: row.key,
              asset_tag: null,
              model: null,
              manufacturer: null,
              type: 'chromebook',
              school_id: null,
              assigned_person_id: null,
              purchase_date: null,
              warranty_end: null,
              notes: null,
            }),
        serial_number: row.serialNumber,
        status,
      };
      // An empty cell leaves the stored value alone; imports add and correct, they never blank fields.
      if (row.assetTag) next.asset_tag = row.assetTag;
      if (row.model) next.model = row.model;
      if (row.manufacturer) next.manufacturer = row.manufacturer;
      if (row.type) next.type = row.type;
      if (schoolId) next.school_id = schoolId;
      if (row.notes) next.notes = row.notes;
      if (row.purchaseDate) next.purchase_date = row.purchaseDate;
      if (row.warrantyEnd) next.warranty_end = row.warrantyEnd;
      if (personId) next.assigned_person_id = personId;
      else if (OUT_OF_USE_STATUSES.includes(status)) next.assigned_person_id = null;

      if (!before) {
        outcome.create++;
        creates.push({ record: next, line: row.line });
        if (personId) newAssignments.push({ key: row.key, personId });
        continue;
      }
      const diff = changedFields(
        toRecord(before) as unknown as Record<string, unknown>,
        next as unknown as Record<string, unknown>,
      );
      if (Object.keys(diff).length === 0) {
        outcome.unchanged++;
        continue;
      }
      outcome.update++;
      updates.push({ record: next, before, diff });
      if (before.assigned_person_id && before.assigned_person_id !== next.assigned_person_id) {
        (next.assigned_person_id ? closeFor : checkIns).push(before.id);
      }
      if (personId && personId !== before.assigned_person_id) newAssignments.push({ key: row.key, personId });
    }

    if (write) await writeBatch(db, creates, updates, closeFor, checkIns, newAssignments);
    return outcome;
  }

  async function writeBatch(
    db: Executor,
    creates: { record: queries.DeviceRecord }[],
    updates: {
      record: queries.DeviceRecord;
      before: DeviceRow;
      diff: Record<string, { from: unknown; to: unknown }>;
    }[],
    closeFor: string[],
    checkIns: string[],
    newAssignments: { key: string; personId: string }[],
  ): Promise<void> {
    const inserted = await queries.insertDevices(
      db,
      ctx.districtId,
      creates.map((create) => create.record),
    );
    await queries.updateDevices(
      db,
      ctx.districtId,
      updates.map((update) => update.record),
    );
    await queries.closeOpenAssignments(
      db,
      ctx.districtId,
      closeFor,
      ctx.actorLabel,
      'Reassigned by CSV import',
    );
    await queries.closeOpenAssignments(
      db,
      ctx.districtId,
      checkIns,
      ctx.actorLabel,
      'Checked in by CSV import: device marked out of use',
    );
    const idOf = new Map([
      ...inserted.map((row) => [row.serial_key, row.id] as const),
      ...updates.map((update) => [update.before.serial_key, update.before.id] as const),
    ]);
    await queries.insertAssignments(
      db,
      ctx.districtId,
      newAssignments.map((assignment) => ({
        deviceId: idOf.get(assignment.key)!,
        personId: assignment.personId,
      })),
      ctx.actorLabel,
    );
    const events: AuditEntry[] = [
      ...inserted.map((row) => ({
        action: 'device.created',
        subjectType: 'device',
        subjectId: row.id,
        details: {
          serialNumber: creates.find((create) => create.record.serial_key === row.serial_key)?.record
            .serial_number,
          source: 'csv_import',
        },
      })),
      ...updates.map((update) => ({
        action: 'device.updated',
        subjectType: 'device',
        subjectId: update.before.id,
        details: { serialNumber: update.before.serial_number, changes: update.diff, source: 'csv_import' },
      })),
    ];
    await recordAuditBatch(ctx, db, events);
  }

  return {
    known: COLUMNS,
    required: ['serial_number'],
    parse: parseRow,
    uniqueKeys: (row) => [
      { key: `serial:${row.key}`, column: 'serial_number', label: 'serial number' },
      ...(row.assetTag
        ? [{ key: `tag:${row.assetTag.toLowerCase()}`, column: 'asset_tag', label: 'asset tag' }]
        : []),
    ],
    processBatch,
  };
}

export async function importDevices(
  ctx: RequestContext,
  db: Kysely<DB>,
  csv: Readable,
  options: ImportOptions,
): Promise<ImportResult> {
  const result = await runImport(db, csv, devicePlan(ctx), options);
  if (result.committed && result.create + result.update > 0) {
    await recordAuditBatch(ctx, db, [
      {
        action: 'devices.imported',
        subjectType: 'district',
        subjectId: ctx.districtId,
        details: {
          rows: result.rows,
          created: result.create,
          updated: result.update,
          unchanged: result.unchanged,
          rejected: result.invalid,
        },
      },
    ]);
  }
  return result;
}
