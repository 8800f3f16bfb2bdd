import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import type { DeviceFilter } from '../../common/inventory.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { filteredDevices, withDeviceColumns } from './device-queries.ts';

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
  'updated_at',
];

/** Spreadsheets run cells that start with these as formulas (OWASP "CSV injection"); a leading quote disarms them. */
export function spreadsheetSafe(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

async function* exportRows(
  ctx: RequestContext,
  db: Kysely<DB>,
  filter: DeviceFilter,
): AsyncGenerator<string[]> {
  yield HEADER;
  let after = '';
  for (;;) {
    // Keyset pages keep memory flat and every query cheap, however large the fleet.
    const rows = await withDeviceColumns(filteredDevices(db, ctx.districtId, filter))
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
        row.updated_at.toISOString(),
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
