import type { Kysely, Updateable } from 'kysely';
import type { z } from 'zod';
import type {
  CreatePersonRequest,
  Person,
  PersonList,
  PersonQuery,
  UpdatePersonRequest,
} from '../../common/inventory.ts';
import { recordAudit } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { DB, PeopleTable } from '../db/schema.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { personAssignments } from './assignment-queries.ts';
import { changedFields, toPerson } from './mapping.ts';
import * as people from './people-queries.ts';
import { findSchool } from './school-queries.ts';

type Db = Kysely<DB>;

export async function listPeople(
  ctx: RequestContext,
  db: Db,
  query: z.output<typeof PersonQuery>,
): Promise<PersonList> {
  const { page, pageSize, ...filter } = query;
  const [rows, total] = await Promise.all([
    people.listPeople(db, ctx.districtId, filter, pageSize, (page - 1) * pageSize),
    people.countPeople(db, ctx.districtId, filter),
  ]);
  return { people: rows.map(toPerson), total, page, pageSize };
}

export async function getPerson(ctx: RequestContext, db: Db, personId: string) {
  const row = await people.findPerson(db, ctx.districtId, personId);
  if (!row) throw new NotFound('Person');
  // Every look at a student's or staff member's record is kept: who looked at whose, and when.
  await recordAudit(ctx, db, { action: 'person.viewed', subjectType: 'person', subjectId: personId });
  const history = await personAssignments(db, ctx.districtId, personId);
  return {
    ...toPerson(row),
    assignments: history.map((assignment) => ({
      id: assignment.id,
      device: {
        id: assignment.device_id,
        serialNumber: assignment.serial_number,
        assetTag: assignment.asset_tag,
        model: assignment.model,
        status: assignment.status,
      },
      checkedOutAt: assignment.checked_out_at.toISOString(),
      checkedOutBy: assignment.checked_out_by,
      checkedInAt: assignment.checked_in_at?.toISOString() ?? null,
      checkedInBy: assignment.checked_in_by,
      checkInNote: assignment.check_in_note,
    })),
  };
}

async function assertPersonUnique(
  db: Kysely<DB>,
  ctx: RequestContext,
  fields: { externalId?: string | null | undefined; email?: string | null | undefined },
  exceptId?: string,
) {
  if (fields.externalId) {
    const existing = await people.findPersonByExternalId(db, ctx.districtId, fields.externalId);
    if (existing && existing.id !== exceptId) {
      throw new Conflict(`External id ${fields.externalId} already belongs to ${existing.name}`, {
        field: 'externalId',
        personId: existing.id,
      });
    }
  }
  if (fields.email) {
    const existing = await people.findPersonByEmail(db, ctx.districtId, fields.email);
    if (existing && existing.id !== exceptId) {
      throw new Conflict(`Email ${fields.email} already belongs to ${existing.name}`, {
        field: 'email',
        personId: existing.id,
      });
    }
  }
}

async function assertSchool(db: Kysely<DB>, ctx: RequestContext, schoolId: string | null | undefined) {
  if (schoolId && !(await findSchool(db, ctx.districtId, schoolId))) {
    throw new Invalid('Unknown school', [{ path: 'schoolId', message: 'No such school in this district' }]);
  }
}

function columnsOf(input: z.output<typeof UpdatePersonRequest>): Updateable<PeopleTable> {
  const changes: Updateable<PeopleTable> = {};
  if (input.kind !== undefined) changes.kind = input.kind;
  if (input.name !== undefined) changes.name = input.name;
  if (input.email !== undefined) changes.email = input.email;
  if (input.externalId !== undefined) changes.external_id = input.externalId;
  if (input.grade !== undefined) changes.grade = input.grade;
  if (input.schoolId !== undefined) changes.school_id = input.schoolId;
  if (input.active !== undefined) changes.active = input.active;
  return changes;
}

export async function createPerson(
  ctx: RequestContext,
  db: Db,
  input: z.output<typeof CreatePersonRequest>,
): Promise<Person> {
  const id = await db.transaction().execute(async (trx) => {
    await assertPersonUnique(trx, ctx, input);
    await assertSchool(trx, ctx, input.schoolId);
    const created = await people.insertPerson(trx, {
      district_id: ctx.districtId,
      kind: input.kind,
      name: input.name,
      email: input.email ?? null,
      external_id: input.externalId ?? null,
      grade: input.grade ?? null,
      school_id: input.schoolId ?? null,
      active: input.active ?? true,
    });
    await recordAudit(ctx, trx, {
      action: 'person.created',
      subjectType: 'person',
      subjectId: created.id,
      details: { name: input.name, kind: input.kind, externalId: input.externalId ?? null },
    });
    return created.id;
  });
  return toPerson((await people.findPerson(db, ctx.districtId, id))!);
}

export async function updatePerson(
  ctx: RequestContext,
  db: Db,
  personId: string,
  input: z.output<typeof UpdatePersonRequest>,
): Promise<Person> {
  await db.transaction().execute(async (trx) => {
    const before = await people.lockPerson(trx, ctx.districtId, personId);
    if (!before) throw new NotFound('Person');
    const changes = columnsOf(input);
    const diff = changedFields(
      before as unknown as Record<string, unknown>,
      changes as Record<string, unknown>,
    );
    if (Object.keys(diff).length === 0) return;
    await assertPersonUnique(
      trx,
      ctx,
      {
        externalId: diff.external_id ? input.externalId : undefined,
        email: diff.email ? input.email : undefined,
      },
      personId,
    );
    if (diff.school_id) await assertSchool(trx, ctx, input.schoolId);
    await people.updatePerson(trx, ctx.districtId, personId, changes);
    await recordAudit(ctx, trx, {
      action: 'person.updated',
      subjectType: 'person',
      subjectId: personId,
      details: { name: before.name, changes: diff },
    });
  });
  return toPerson((await people.findPerson(db, ctx.districtId, personId))!);
}
