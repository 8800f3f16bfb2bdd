import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { ConflictKind } from '../../common/conflicts.ts';
import { providers } from '../mdm/registry.ts';

/**
 * The conflicts of src/common/conflicts.ts in SQL, over a provider record `mr`, its device `hd` and the device's
 * holder `mp` (left-joined: null when the device is not checked out). Each reads the same as the browser's.
 */

/** `comparable()`: lower-case letters and digits only. */
function comparable(value: RawBuilder<string | null>): RawBuilder<string> {
  return sql<string>`regexp_replace(lower(coalesce(${value}, '')), '[^a-z0-9]', '', 'g')`;
}

function recordText(column: string, key: string): RawBuilder<string | null> {
  const ref = sql.ref(column);
  return sql<
    string | null
  >`(case when jsonb_typeof(${ref}->${sql.lit(key)}) = 'string' then ${ref}->>${sql.lit(key)} end)`;
}

/**
 * The asset tag of the record joined as `alias`, from the extra each provider names for it (null for providers
 * that keep none).
 */
export function recordAssetTag(alias = 'mr'): RawBuilder<string | null> {
  const arms = providers.flatMap((provider) =>
    provider.identity.assetTag
      ? [sql`when ${sql.lit(provider.key)} then ${recordText(`${alias}.extras`, provider.identity.assetTag)}`]
      : [],
  );
  if (arms.length === 0) return sql<string | null>`null::text`;
  return sql<string | null>`(case ${sql.ref(`${alias}.provider`)} ${sql.join(arms, sql` `)} end)`;
}

function modelConflict(): RawBuilder<SqlBool> {
  const inventory = comparable(sql.ref('hd.model'));
  const mdm = comparable(recordText('mr.fields', 'model'));
  return sql<SqlBool>`(${inventory} <> '' and ${mdm} <> '' and strpos(${inventory}, ${mdm}) = 0 and strpos(${mdm}, ${inventory}) = 0)`;
}

function assetTagConflict(): RawBuilder<SqlBool> {
  const inventory = comparable(sql.ref('hd.asset_tag'));
  const mdm = comparable(recordAssetTag());
  return sql<SqlBool>`(${inventory} <> '' and ${mdm} <> '' and ${inventory} <> ${mdm})`;
}

function userConflict(): RawBuilder<SqlBool> {
  const user = sql`nullif(lower(btrim(${recordText('mr.fields', 'primaryUser')})), '')`;
  const email = sql`nullif(lower(btrim(mp.email)), '')`;
  const externalId = sql`nullif(lower(btrim(mp.external_id)), '')`;
  const emailName = sql`split_part(${email}, '@', 1)`;
  return sql<SqlBool>`(${user} is not null and mp.id is not null and case
    when strpos(${user}, '@') > 0 then coalesce(${user} <> ${email}, false)
    else (${emailName} is not null or ${externalId} is not null)
      and ${user} is distinct from ${emailName} and ${user} is distinct from ${externalId}
    end)`;
}

const CONFLICTS: Record<ConflictKind, () => RawBuilder<SqlBool>> = {
  model: modelConflict,
  assetTag: assetTagConflict,
  user: userConflict,
};

/** The record disagrees with the inventory on this (or, for `any`, on any) of model, asset tag and user. */
export function conflictCondition(kind: ConflictKind | 'any'): RawBuilder<SqlBool> {
  if (kind !== 'any') return CONFLICTS[kind]();
  return sql<SqlBool>`(${sql.join(
    Object.values(CONFLICTS).map((condition) => condition()),
    sql` or `,
  )})`;
}
