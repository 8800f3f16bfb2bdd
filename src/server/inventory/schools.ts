import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { CreateSchoolRequest, School, UpdateSchoolRequest } from '../../common/inventory.ts';
import { recordAudit } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { Conflict, NotFound } from '../errors.ts';
import { changedFields, toSchool } from './mapping.ts';
import * as schools from './school-queries.ts';

export async function listSchools(ctx: RequestContext, db: Kysely<DB>): Promise<School[]> {
  return (await schools.listSchools(db, ctx.districtId)).map(toSchool);
}

async function schoolById(ctx: RequestContext, db: Kysely<DB>, id: string): Promise<School> {
  const row = (await schools.listSchools(db, ctx.districtId)).find((school) => school.id === id);
  if (!row) throw new NotFound('School');
  return toSchool(row);
}

export async function createSchool(
  ctx: RequestContext,
  db: Kysely<DB>,
  input: z.output<typeof CreateSchoolRequest>,
): Promise<School> {
  const id = await db.transaction().execute(async (trx) => {
    const clash = await schools.findConflictingSchool(trx, ctx.districtId, input.name, input.code ?? null);
    if (clash)
      throw new Conflict(
        `A school named ${clash.name}${clash.code ? ` (${clash.code})` : ''} already exists`,
        { schoolId: clash.id },
      );
    const created = await schools.insertSchool(trx, {
      districtId: ctx.districtId,
      name: input.name,
      code: input.code ?? null,
    });
    await recordAudit(ctx, trx, {
      action: 'school.created',
      subjectType: 'school',
      subjectId: created.id,
      details: { name: input.name, code: input.code ?? null },
    });
    return created.id;
  });
  return schoolById(ctx, db, id);
}

export async function updateSchool(
  ctx: RequestContext,
  db: Kysely<DB>,
  schoolId: string,
  input: z.output<typeof UpdateSchoolRequest>,
): Promise<School> {
  await db.transaction().execute(async (trx) => {
    const before = await schools.findSchool(trx, ctx.districtId, schoolId);
    if (!before) throw new NotFound('School');
    const diff = changedFields(before as unknown as Record<string, unknown>, {
      name: input.name,
      code: input.code,
    });
    if (Object.keys(diff).length === 0) return;
    const clash = await schools.findConflictingSchool(
      trx,
      ctx.districtId,
      input.name ?? before.name,
      diff.code ? (input.code ?? null) : null,
      schoolId,
    );
    if (clash) throw new Conflict(`A school named ${clash.name} already exists`, { schoolId: clash.id });
    await schools.updateSchool(trx, ctx.districtId, schoolId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.code !== undefined ? { code: input.code } : {}),
    });
    await recordAudit(ctx, trx, {
      action: 'school.updated',
      subjectType: 'school',
      subjectId: schoolId,
      details: { name: before.name, changes: diff },
    });
  });
  return schoolById(ctx, db, schoolId);
}
