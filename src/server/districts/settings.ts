import type { Kysely } from 'kysely';
import type { DistrictSettings, UpdateDistrictSettingsRequest } from '../../common/districts.ts';
import { recordAudit } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { NotFound } from '../errors.ts';
import * as queries from './queries.ts';

function toSettings(row: { token_max_lifetime_days: number; mdm_history_retention_days: number }) {
  return {
    tokenMaxLifetimeDays: row.token_max_lifetime_days,
    mdmHistoryRetentionDays: row.mdm_history_retention_days,
  };
}

export async function readDistrictSettings(ctx: RequestContext, db: Kysely<DB>): Promise<DistrictSettings> {
  const row = await queries.findDistrictSettings(db, ctx.districtId);
  if (!row) throw new NotFound('District');
  return toSettings(row);
}

export async function changeDistrictSettings(
  ctx: RequestContext,
  db: Kysely<DB>,
  input: UpdateDistrictSettingsRequest,
): Promise<DistrictSettings> {
  return db.transaction().execute(async (trx) => {
    const before = await queries.findDistrictSettings(trx, ctx.districtId);
    if (!before) throw new NotFound('District');
    const after = await queries.updateDistrictSettings(trx, ctx.districtId, {
      ...(input.tokenMaxLifetimeDays === undefined
        ? {}
        : { token_max_lifetime_days: input.tokenMaxLifetimeDays }),
      ...(input.mdmHistoryRetentionDays === undefined
        ? {}
        : { mdm_history_retention_days: input.mdmHistoryRetentionDays }),
    });
    await recordAudit(ctx, trx, {
      action: 'district.settings_changed',
      subjectType: 'district',
      subjectId: ctx.districtId,
      details: { from: toSettings(before), to: toSettings(after) },
    });
    return toSettings(after);
  });
}
