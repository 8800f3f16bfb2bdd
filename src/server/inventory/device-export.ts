import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import { formatInZone } from '../../common/districts.ts';
import type { DeviceFilter } from '../../common/inventory.ts';
import type { ProviderKey } from '../../common/mdm.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { exportTimeZone } from '../districts/service.ts';
import { providerByKey } from '../mdm/registry.ts';
import { type MdmSummaryRow, mdmProviderOf, resolveMdmProvider } from './device-mdm.ts';
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

const MDM_COLUMNS = ['last check-in', 'OS version', 'auto-update expiration', 'org unit', 'status', 'as of'];

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

function mdmCells(provider: ProviderKey | null, row: MdmSummaryRow): (string | null)[] {
  const source = row.mdm_provider ? providerByKey(row.mdm_provider).shortName : '';
  const cells = (() => {
    if (!row.mdm_match_state || !row.mdm_fetched_at) return MDM_COLUMNS.map(() => '');
    const status = row.mdm_match_state === 'not_found' ? `Not in ${source}` : row.mdm_status;
    return [
      row.mdm_last_check_in_at,
      row.mdm_os_version,
      row.mdm_auto_update_expiration,
      row.mdm_org_unit,
      status,
      row.mdm_fetched_at.toISOString(),
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
  const resolved = await resolveMdmProvider(db, ctx.districtId, asked);
  const { filter } = resolved;
  const provider = mdmProviderOf(filter);
  // A district without the provider's data gets the inventory columns only, as before it had any.
  const withMdm = provider ? resolved.providers.includes(provider) : resolved.providers.length > 0;
  const timeZone = await exportTimeZone(ctx, db);
  yield withMdm ? [...HEADER, ...mdmHeader(provider)] : HEADER;
  const now = new Date();
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
        ...(withMdm ? mdmCells(provider, row) : []),
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
