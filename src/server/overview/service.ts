import type { Kysely } from 'kysely';
import { DEVICE_STATUSES, type DeviceFilter, NO_SCHOOL } from '../../common/inventory.ts';
import { DEFAULT_SYNCED_STATUSES, type ProviderTile, SYNCING_STATES } from '../../common/mdm.ts';
import type { Overview, SyncHealth } from '../../common/overview.ts';
import type { ReportFigure } from '../../common/reports.ts';
import { schoolYearEnd } from '../../common/school-year.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import {
  deviceListQuery,
  deviceTotalsByStatus,
  districtCoverage,
  figureOf,
  schoolDeviceCounts,
} from '../inventory/index.ts';
import { type ConnectionDeps, listTiles } from '../mdm/connections/service.ts';

const DAY_MS = 24 * 3600 * 1000;
/** The overview's "not seen" threshold: the device page's stale check-in warning. */
const NOT_SEEN_DAYS = 30;
/** Devices the district still has in hand: auto-update figures leave out retired and disposed ones. */
const IN_USE: DeviceFilter = { status: [...DEFAULT_SYNCED_STATUSES] };

/** The home page: the inventory at a glance, what the MDMs cover, what needs attention, and sync health. */
export async function overview(
  ctx: RequestContext,
  deps: ConnectionDeps,
  now = new Date(),
): Promise<Overview> {
  const { db } = deps;
  const today = dayOf(now);
  const figure = (filter: DeviceFilter) =>
    figureOf(db, { districtId: ctx.districtId, provider: '', now }, filter);
  const totals = await deviceTotalsByStatus(ctx, db);
  const total = [...totals.values()].reduce((sum, count) => sum + count, 0);
  const since = dayOf(new Date(now.getTime() - NOT_SEEN_DAYS * DAY_MS));
  const yearEnd = schoolYearEnd(now);
  return {
    today,
    total: { count: total, devicesQuery: '' },
    byStatus: DEVICE_STATUSES.map((status) => ({
      status,
      count: totals.get(status) ?? 0,
      devicesQuery: deviceListQuery({ status: [status] }),
    })).filter((entry) => entry.count > 0),
    bySchool: await devicesBySchool(ctx, db, total),
    coverage: await districtCoverage(ctx, db, now),
    notSeen: {
      days: NOT_SEEN_DAYS,
      since,
      ...(await figure({ status: ['in_service'], notSeenSince: since })),
    },
    autoUpdate: {
      schoolYear: { from: `${yearEnd - 1}-07-01`, to: `${yearEnd}-06-30` },
      expiresThisSchoolYear: await figure({ ...IN_USE, aueAfter: today, aueBefore: `${yearEnd}-07-01` }),
      expired: await figure({ ...IN_USE, aueBefore: today }),
    },
    syncHealth: (await listTiles(ctx, deps)).flatMap(syncHealthOf),
  };
}

async function devicesBySchool(ctx: RequestContext, db: Kysely<DB>, total: number) {
  const schools = await schoolDeviceCounts(ctx, db);
  const figures: (ReportFigure & { school: { id: string; name: string } | null })[] = schools
    .map((school) => ({
      school: { id: school.id, name: school.name },
      count: school.devices,
      devicesQuery: deviceListQuery({ school: school.id }),
    }))
    .filter((entry) => entry.count > 0);
  const withoutSchool = total - figures.reduce((sum, entry) => sum + entry.count, 0);
  if (withoutSchool > 0)
    figures.push({
      school: null,
      count: withoutSchool,
      devicesQuery: deviceListQuery({ school: NO_SCHOOL }),
    });
  return figures;
}

/** A provider's health, for the providers the district has activated at some point. */
function syncHealthOf(tile: ProviderTile): SyncHealth[] {
  if (tile.state === 'inactive' && tile.lastSync === null) return [];
  const lastRun = lastRunOf(tile.lastSync);
  return [
    {
      provider: { key: tile.key, name: tile.name },
      state: tile.state,
      statusReason: tile.statusReason,
      lastRun,
      nextSyncAt: SYNCING_STATES.includes(tile.state) ? tile.nextSyncAt : null,
      syncing: tile.activeRun !== null,
      failing:
        tile.state === 'error' ||
        tile.state === 'needs_reauthorization' ||
        (SYNCING_STATES.includes(tile.state) && lastRun?.state === 'failed'),
    },
  ];
}

function lastRunOf(summary: Record<string, unknown> | null): SyncHealth['lastRun'] {
  const state = summary?.state;
  const at = summary?.at;
  if ((state !== 'succeeded' && state !== 'failed') || typeof at !== 'string') return null;
  const error = summary?.error;
  return { state, at, error: typeof error === 'string' ? error : null };
}

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}
