import type { Kysely, Transaction, Updateable } from 'kysely';
import type { z } from 'zod';
import type {
  BulkUpdateRequest,
  CreateDeviceRequest,
  DeviceQuery,
  UpdateDeviceRequest,
} from '../../common/inventory.ts';
import {
  type DeviceDetail,
  type DeviceFilter,
  type DeviceHistory,
  type DeviceList,
  type DeviceStatus,
  OUT_OF_USE_STATUSES,
  serialKey,
} from '../../common/inventory.ts';
import { listAuditEvents } from '../audit/queries.ts';
import { recordAudit } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { DB, DevicesTable } from '../db/schema.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import * as assignments from './assignment-queries.ts';
import { mdmSourceConditions, resolveMdmProvider } from './device-mdm.ts';
import * as devices from './device-queries.ts';
import { changedFields, toAssignment, toDevice, toDeviceListItem } from './mapping.ts';
import { lockPerson, personName } from './people-queries.ts';
import { findSchool } from './school-queries.ts';

type Db = Kysely<DB>;

export async function listDevices(
  ctx: RequestContext,
  db: Db,
  query: z.output<typeof DeviceQuery>,
): Promise<DeviceList> {
  const { sort, order, page, pageSize, ...asked } = query;
  const { filter, providers: mdmProviders } = await resolveMdmProvider(db, ctx.districtId, asked);
  const [rows, total, conditions] = await Promise.all([
    devices.listDevices(db, ctx.districtId, filter, {
      sort,
      order,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    }),
    devices.countDevices(db, ctx.districtId, filter),
    mdmSourceConditions(db, ctx.districtId),
  ]);
  return {
    devices: rows.map((row) => toDeviceListItem(row, conditions)),
    total,
    page,
    pageSize,
    mdmProviders,
    mdmConditions: Object.fromEntries(
      mdmProviders.map((provider) => [provider, conditions.get(provider) ?? 'inactive']),
    ),
  };
}

export async function getDevice(
  ctx: RequestContext,
  db: Db | Transaction<DB>,
  deviceId: string,
): Promise<DeviceDetail> {
  const row = await devices.findDevice(db, ctx.districtId, deviceId);
  if (!row) throw new NotFound('Device');
  const open = await assignments.openAssignment(db, ctx.districtId, deviceId);
  return { ...toDevice(row), currentAssignment: open ? toAssignment(open) : null };
}

async function assertUnique(
  db: Transaction<DB>,
  ctx: RequestContext,
  fields: { serialKey?: string | undefined; assetTag?: string | null | undefined },
  exceptId?: string,
): Promise<void> {
  if (fields.serialKey) {
    const existing = await devices.findDeviceBySerialKey(db, ctx.districtId, fields.serialKey);
    if (existing && existing.id !== exceptId) {
      throw new Conflict(
        `A device with serial number ${existing.serial_number} is already in the inventory`,
        {
          field: 'serialNumber',
          deviceId: existing.id,
          serialNumber: existing.serial_number,
        },
      );
    }
  }
  if (fields.assetTag) {
    const existing = await devices.findDeviceByAssetTag(db, ctx.districtId, fields.assetTag);
    if (existing && existing.id !== exceptId) {
      throw new Conflict(`Asset tag ${existing.asset_tag} is already on device ${existing.serial_number}`, {
        field: 'assetTag',
        deviceId: existing.id,
        serialNumber: existing.serial_number,
      });
    }
  }
}

async function assertSchool(
  db: Transaction<DB>,
  ctx: RequestContext,
  schoolId: string | null | undefined,
): Promise<void> {
  if (schoolId && !(await findSchool(db, ctx.districtId, schoolId))) {
    throw new Invalid('Unknown school', [{ path: 'schoolId', message: 'No such school in this district' }]);
  }
}

export async function createDevice(
  ctx: RequestContext,
  db: Db,
  input: z.output<typeof CreateDeviceRequest>,
): Promise<DeviceDetail> {
  const key = serialKey(input.serialNumber);
  return db.transaction().execute(async (trx) => {
    await assertUnique(trx, ctx, { serialKey: key, assetTag: input.assetTag });
    await assertSchool(trx, ctx, input.schoolId);
    const { id } = await devices.insertDevice(trx, {
      district_id: ctx.districtId,
      serial_number: input.serialNumber,
      serial_key: key,
      asset_tag: input.assetTag ?? null,
      model: input.model ?? null,
      manufacturer: input.manufacturer ?? null,
      type: input.type,
      status: input.status,
      school_id: input.schoolId ?? null,
      purchase_date: input.purchaseDate ?? null,
      warranty_end: input.warrantyEnd ?? null,
      notes: input.notes ?? null,
    });
    await recordAudit(ctx, trx, {
      action: 'device.created',
      subjectType: 'device',
      subjectId: id,
      details: { serialNumber: input.serialNumber, assetTag: input.assetTag ?? null, status: input.status },
    });
    return getDevice(ctx, trx, id);
  });
}

const COLUMN_OF = {
  serialNumber: 'serial_number',
  assetTag: 'asset_tag',
  model: 'model',
  manufacturer: 'manufacturer',
  type: 'type',
  status: 'status',
  schoolId: 'school_id',
  purchaseDate: 'purchase_date',
  warrantyEnd: 'warranty_end',
  notes: 'notes',
} as const;

export async function updateDevice(
  ctx: RequestContext,
  db: Db,
  deviceId: string,
  input: z.output<typeof UpdateDeviceRequest>,
): Promise<DeviceDetail> {
  return db.transaction().execute(async (trx) => {
    const before = await devices.lockDevice(trx, ctx.districtId, deviceId);
    if (!before) throw new NotFound('Device');
    const changes: Updateable<DevicesTable> = {};
    for (const [field, column] of Object.entries(COLUMN_OF) as [
      keyof typeof COLUMN_OF,
      (typeof COLUMN_OF)[keyof typeof COLUMN_OF],
    ][]) {
      const value = input[field];
      if (value !== undefined) (changes as Record<string, unknown>)[column] = value;
    }
    if (input.serialNumber) changes.serial_key = serialKey(input.serialNumber);
    const diff = changedFields(
      before as unknown as Record<string, unknown>,
      changes as Record<string, unknown>,
    );
    delete diff.serial_key;
    await assertUnique(
      trx,
      ctx,
      {
        serialKey: diff.serial_number ? (changes.serial_key as string) : undefined,
        assetTag: diff.asset_tag ? (changes.asset_tag as string | null) : undefined,
      },
      deviceId,
    );
    if (diff.school_id) await assertSchool(trx, ctx, changes.school_id as string | null);
    if (diff.status) await endUseIfNeeded(ctx, trx, before, changes.status as DeviceStatus, input.checkIn);
    if (Object.keys(diff).length > 0) {
      await devices.updateDevice(trx, ctx.districtId, deviceId, changes);
      await recordAudit(ctx, trx, {
        action: 'device.updated',
        subjectType: 'device',
        subjectId: deviceId,
        details: { serialNumber: before.serial_number, changes: diff },
      });
    }
    return getDevice(ctx, trx, deviceId);
  });
}

/** Moving an assigned device to lost/stolen/retired/disposed checks it in, but only when the caller says so. */
async function endUseIfNeeded(
  ctx: RequestContext,
  trx: Transaction<DB>,
  device: { id: string; serial_number: string; assigned_person_id: string | null },
  status: DeviceStatus,
  checkIn: { note?: string | null | undefined } | undefined,
): Promise<boolean> {
  if (!OUT_OF_USE_STATUSES.includes(status) || !device.assigned_person_id) return false;
  if (!checkIn) {
    const name = await personName(trx, ctx.districtId, device.assigned_person_id);
    throw new Conflict(
      `Device ${device.serial_number} is checked out to ${name ?? 'someone'}; check it in first, or check it in with this change`,
      { field: 'checkIn', personId: device.assigned_person_id, personName: name },
    );
  }
  await checkInLocked(ctx, trx, device, checkIn.note ?? `Checked in: marked ${status}`);
  return true;
}

export async function bulkUpdate(
  ctx: RequestContext,
  db: Db,
  input: z.output<typeof BulkUpdateRequest>,
): Promise<{ updated: number; checkedIn: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await devices.lockDevicesByIds(trx, ctx.districtId, input.deviceIds);
    if (rows.length !== new Set(input.deviceIds).size) throw new NotFound('Device');
    await assertSchool(trx, ctx, input.changes.schoolId);
    let updated = 0;
    let checkedIn = 0;
    for (const before of rows) {
      const changes: Updateable<DevicesTable> = {};
      if (input.changes.status !== undefined) changes.status = input.changes.status;
      if (input.changes.schoolId !== undefined) changes.school_id = input.changes.schoolId;
      const diff = changedFields(
        before as unknown as Record<string, unknown>,
        changes as Record<string, unknown>,
      );
      if (Object.keys(diff).length === 0) continue;
      if (
        diff.status &&
        (await endUseIfNeeded(
          ctx,
          trx,
          before,
          changes.status as DeviceStatus,
          input.checkInAssigned ? {} : undefined,
        ))
      ) {
        checkedIn++;
      }
      await devices.updateDevice(trx, ctx.districtId, before.id, changes);
      await recordAudit(ctx, trx, {
        action: 'device.updated',
        subjectType: 'device',
        subjectId: before.id,
        details: { serialNumber: before.serial_number, changes: diff, bulk: true },
      });
      updated++;
    }
    return { updated, checkedIn };
  });
}

export async function checkOut(
  ctx: RequestContext,
  db: Db,
  deviceId: string,
  personId: string,
): Promise<DeviceDetail> {
  return db.transaction().execute(async (trx) => {
    const device = await devices.lockDevice(trx, ctx.districtId, deviceId);
    if (!device) throw new NotFound('Device');
    const person = await lockPerson(trx, ctx.districtId, personId);
    if (!person) throw new NotFound('Person');
    if (!person.active)
      throw new Conflict(`${person.name} is inactive; reactivate them before checking a device out to them`);
    if (OUT_OF_USE_STATUSES.includes(device.status)) {
      throw new Conflict(`Device ${device.serial_number} is ${device.status} and cannot be checked out`);
    }
    if (device.assigned_person_id) {
      throw new Conflict(`Device ${device.serial_number} is already checked out; check it in first`, {
        personId: device.assigned_person_id,
      });
    }
    const assignmentId = await assignments.insertAssignment(trx, {
      districtId: ctx.districtId,
      deviceId,
      personId,
      by: ctx.actorLabel,
    });
    const changes: Updateable<DevicesTable> = { assigned_person_id: personId };
    if (device.status === 'spare') changes.status = 'in_service';
    await devices.updateDevice(trx, ctx.districtId, deviceId, changes);
    await recordAudit(ctx, trx, {
      action: 'device.checked_out',
      subjectType: 'device',
      subjectId: deviceId,
      details: {
        serialNumber: device.serial_number,
        assignmentId,
        personId,
        personName: person.name,
        ...(changes.status ? { status: { from: 'spare', to: 'in_service' } } : {}),
      },
    });
    return getDevice(ctx, trx, deviceId);
  });
}

export async function checkIn(
  ctx: RequestContext,
  db: Db,
  deviceId: string,
  note: string | null,
): Promise<DeviceDetail> {
  return db.transaction().execute(async (trx) => {
    const device = await devices.lockDevice(trx, ctx.districtId, deviceId);
    if (!device) throw new NotFound('Device');
    if (!device.assigned_person_id) throw new Conflict(`Device ${device.serial_number} is not checked out`);
    await checkInLocked(ctx, trx, device, note);
    return getDevice(ctx, trx, deviceId);
  });
}

async function checkInLocked(
  ctx: RequestContext,
  trx: Transaction<DB>,
  device: { id: string; serial_number: string },
  note: string | null,
): Promise<void> {
  const closed = await assignments.closeAssignment(trx, ctx.districtId, device.id, {
    by: ctx.actorLabel,
    note,
  });
  await devices.updateDevice(trx, ctx.districtId, device.id, { assigned_person_id: null });
  const name = closed ? await personName(trx, ctx.districtId, closed.person_id) : null;
  await recordAudit(ctx, trx, {
    action: 'device.checked_in',
    subjectType: 'device',
    subjectId: device.id,
    details: {
      serialNumber: device.serial_number,
      assignmentId: closed?.id ?? null,
      personId: closed?.person_id ?? null,
      personName: name,
      note,
    },
  });
}

export async function deviceHistory(ctx: RequestContext, db: Db, deviceId: string): Promise<DeviceHistory> {
  if (!(await devices.findDevice(db, ctx.districtId, deviceId))) throw new NotFound('Device');
  const [assignmentRows, events] = await Promise.all([
    assignments.deviceAssignments(db, ctx.districtId, deviceId),
    listAuditEvents(db, ctx.districtId, { subjectType: 'device', subjectId: deviceId, limit: 500 }),
  ]);
  return {
    assignments: assignmentRows.map(toAssignment),
    events: events.map((event) => ({
      id: event.id,
      at: event.created_at.toISOString(),
      kind: 'audit' as const,
      action: event.action,
      actor: event.actor_label,
      details: event.details,
    })),
  };
}

export type { DeviceFilter };
