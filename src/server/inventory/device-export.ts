import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import { CONFLICT_LABELS } from '../../common/conflicts.ts';
import { formatInZone } from '../../common/districts.ts';
import type { DeviceFilter } from '../../common/inventory.ts';
import type { ProviderKey } from '../../common/mdm.ts';
import { type MdmSourceCondition, SOURCE_CONDITION_LABELS } from '../../common/mdm-source.ts';
import { autoUpdateState } from '../../common/school-year.ts';
import { recordAudit } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { exportTimeZone } from '../districts/service.ts';
import { providerByKey } from '../mdm/registry.ts';
import { mdmProviderOf, mdmSourceConditions, resolveMdmProvider, toMdmSummary } from './device-mdm.ts';
import { filteredDevices, withDeviceListColumns } from './device-queries.ts';

const PAGE = 1000;

/** Same column names as the import, so an export can be edited and imported back. */
const HEADER = [
  'serial_number',
  'asset_tag',
  'model',
  'manufacturer',
  'type',
  'status',
  'school',
  'assigned_to',
  'assigned_name',
  'purchase_date',
  'warranty_end',
  'notes',
  // In the district's time zone for people; the ISO column beside it is for scripts.
  'updated_at',
  'updated_at_iso',
];

const MDM_COLUMNS = [
  'last check-in',
  'OS version',
  'auto-update expiration',
  'org unit',
  'status',
  'as of',
  'user',
  'auto-update state',
  'conflicts',
  'data',
];

const AUE_STATE_WORDS = { expired: 'expired', this_school_year: 'expires this school year' } as const;

/**
 * The MDM data after the inventory columns, labelled with the provider and read with its "as of" time: one
 * provider's ("Intune: last check-in"), or each device's most recent record with a column naming its provider
 * ("MDM: provider"). The import ignores them (unknown columns), so an export still goes back in.
 */
function mdmHeader(provider: ProviderKey | null): string[] {
  if (!provider) return ['MDM: provider', ...MDM_COLUMNS.map((column) => `MDM: ${column}`)];
  const label = providerByKey(provider).shortName;
  return MDM_COLUMNS.map((column) => `${label}: ${column}`);
}

/**
 * The record's cells. Its "data" column says whether the provider still syncs, or the data is kept from a
 * provider that stopped (inactive, disconnected, failing) as of the "as of" column.
 */
function mdmCells(
  provider: ProviderKey | null,
  row: Parameters<typeof toMdmSummary>[0],
  conditions: ReadonlyMap<string, MdmSourceCondition>,
  now: Date,
): (string | null)[] {
  const source = row.mdm_provider ? providerByKey(row.mdm_provider).shortName : '';
  const cells = (() => {
    const summary = toMdmSummary(row, conditions);
    if (!summary) return MDM_COLUMNS.map(() => '');
    const status = summary.matchState === 'not_found' ? `Not in ${source}` : summary.mdmStatus;
    const aueState = autoUpdateState(summary.autoUpdateExpiration, now);
    return [
      summary.lastCheckInAt,
      summary.osVersion,
      summary.autoUpdateExpiration,
      summary.orgUnit,
      status,
      summary.fetchedAt,
      summary.primaryUser,
      aueState ? AUE_STATE_WORDS[aueState] : '',
      summary.conflicts.map((kind) => CONFLICT_LABELS[kind].toLowerCase()).join('; '),
      summary.condition === 'current' ? 'current' : `kept: ${SOURCE_CONDITION_LABELS[summary.condition]}`,
    ];
  })();
  return provider ? cells : [source, ...cells];
}

/** Spreadsheets run cells that start with these as formulas (OWASP "CSV injection"); a leading quote disarms them. */
export function spreadsheetSafe(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

async function* exportRows(
  ctx: RequestContext,
  db: Kysely<DB>,
  asked: DeviceFilter,
): AsyncGenerator<string[]> {
  // Who took a copy of the district's devices (and the people they are assigned to), with what filter.
  await recordAudit(ctx, db, {
    action: 'devices.exported',
    subjectType: 'devices',
    details: { filter: asked },
  });
  const resolved = await resolveMdmProvider(db, ctx.districtId, asked);
  const { filter } = resolved;
  const provider = mdmProviderOf(filter);
  // A district without the provider's data gets the inventory columns only, as before it had any.
  const withMdm = provider ? resolved.providers.includes(provider) : resolved.providers.length > 0;
  const timeZone = await exportTimeZone(ctx, db);
  yield withMdm ? [...HEADER, ...mdmHeader(provider)] : HEADER;
  const now = new Date();
  const conditions = withMdm ? await mdmSourceConditions(db, ctx.districtId) : new Map();
  let after = '';
  for (;;) {
    // Keyset pages keep memory flat and every query cheap, however large the fleet.
    const rows = await withDeviceListColumns(filteredDevices(db, ctx.districtId, filter, now), provider)
      .where('d.serial_key', '>', after)
      .orderBy('d.serial_key')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      yield [
        row.serial_number,
        row.asset_tag,
        row.model,
        row.manufacturer,
        row.type,
        row.status,
        row.school_name,
        row.person_email ?? row.person_external_id,
        row.person_name,
        row.purchase_date,
        row.warranty_end,
        row.notes,
        formatInZone(row.updated_at, timeZone),
        row.updated_at.toISOString(),
        ...(withMdm ? mdmCells(provider, row, conditions, now) : []),
      ].map(spreadsheetSafe);
    }
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.serial_key;
  }
}

export function exportDevicesCsv(ctx: RequestContext, db: Kysely<DB>, filter: DeviceFilter): Readable {
  return Readable.from(exportRows(ctx, db, filter)).pipe(
    stringify({ bom: true, record_delimiter: 'windows' }),
  );
}
