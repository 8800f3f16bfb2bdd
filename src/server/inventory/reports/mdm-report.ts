import type { Kysely } from 'kysely';
import { DEVICE_STATUSES, type DeviceFilter, type DeviceStatus } from '../../../common/inventory.ts';
import { DEFAULT_SYNCED_STATUSES, type ProviderKey } from '../../../common/mdm.ts';
import {
  type AueByYear,
  type AueCohorts,
  type CohortGroup,
  type Coverage,
  type MdmReport,
  NOT_SEEN_DAYS,
  type NotSeenFigure,
  type ReportFigure,
} from '../../../common/reports.ts';
import { GRADUATION_MONTH_DAY, schoolYearEnd } from '../../../common/school-year.ts';
import type { RequestContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { providerByKey } from '../../mdm/registry.ts';
import * as queries from './queries.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The district's fleet as one provider sees it. Each figure is the device list's count for a filter, and its
 * link is that filter as a query string, so the number and the list behind it cannot disagree.
 */
export async function mdmReport(
  ctx: RequestContext,
  db: Kysely<DB>,
  providerKey: ProviderKey,
  now = new Date(),
): Promise<MdmReport> {
  const provider = providerByKey(providerKey);
  const scope: queries.ReportScope = { districtId: ctx.districtId, provider: provider.key, now };
  const syncedStatuses = syncedStatusesOf(await queries.connectionSettings(db, ctx.districtId, provider.key));
  const base: DeviceFilter = { mdmProvider: providerKey };
  // Every status synced: no status filter needed, and the links stay short.
  const tracked: DeviceFilter = DEVICE_STATUSES.every((status) => syncedStatuses.includes(status))
    ? base
    : { ...base, status: syncedStatuses };
  const figure = async (filter: DeviceFilter): Promise<ReportFigure> => ({
    count: await queries.countFiltered(db, scope, filter),
    devicesQuery: deviceListQuery(filter),
  });

  const matched = await figure({ ...tracked, mdmMatch: 'matched' });
  const notSeen: NotSeenFigure[] = [];
  for (const days of NOT_SEEN_DAYS) {
    const since = dayOf(new Date(now.getTime() - days * DAY_MS));
    notSeen.push({
      days,
      since,
      ...(await figure({ ...base, status: ['in_service'], notSeenSince: since })),
    });
  }
  const fetchedAt = await queries.recordsFetchedAt(db, ctx.districtId, provider.key);
  const runs = await queries.lastSuccessfulRuns(db, ctx.districtId, provider.key);

  return {
    provider: { key: providerKey, name: provider.name },
    hasData: fetchedAt !== null || runs.latest !== undefined,
    asOf: {
      recordsFetchedAt: fetchedAt?.toISOString() ?? null,
      lastSuccessfulSyncAt: runs.latest?.finished_at?.toISOString() ?? null,
    },
    today: dayOf(now),
    autoUpdateExpirationByYear: aueByYear(
      await queries.aueYearCounts(db, scope, { ...tracked, mdmMatch: 'matched' }),
      matched,
      tracked,
    ),
    aueCohorts: await aueCohorts(db, scope, base),
    notSeen,
    userMismatches: await figure({ ...base, userMismatch: 'true' }),
    duplicates: await figure({ ...base, mdmDuplicates: 'true' }),
    coverage: {
      syncedStatuses,
      tracked: await figure(tracked),
      matched,
      notFound: await figure({ ...tracked, mdmMatch: 'not_found' }),
      neverSynced: await figure({ ...tracked, mdmMatch: 'none' }),
      outsideInventory: outsideInventory(runs),
    },
  };
}

/** A device filter as the query string of `GET /devices` and the /devices page (lists repeat the parameter). */
function deviceListQuery(filter: DeviceFilter): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  return search.toString();
}

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The connection's synced statuses; records of a provider with no connection row fall back to the default. */
function syncedStatusesOf(settings: Record<string, unknown> | null): DeviceStatus[] {
  const raw = settings?.syncedStatuses;
  const statuses = Array.isArray(raw)
    ? DEVICE_STATUSES.filter((status) => raw.includes(status))
    : [...DEFAULT_SYNCED_STATUSES];
  return statuses.length > 0 ? statuses : [...DEFAULT_SYNCED_STATUSES];
}

/** Bars for every year from the first to the last, unless a stray date would stretch the axis absurdly. */
const MAX_YEAR_SPAN = 40;

function aueByYear(
  rows: { year: number | null; count: number }[],
  matched: ReportFigure,
  tracked: DeviceFilter,
): AueByYear {
  const byYear = new Map(rows.flatMap((row) => (row.year === null ? [] : [[row.year, row.count] as const])));
  const known = [...byYear.keys()].sort((a, b) => a - b);
  const first = known[0];
  const last = known.at(-1);
  const span =
    first !== undefined && last !== undefined && last - first <= MAX_YEAR_SPAN
      ? Array.from({ length: last - first + 1 }, (_, index) => first + index)
      : known;
  return {
    years: span.map((year) => ({
      year,
      count: byYear.get(year) ?? 0,
      devicesQuery: deviceListQuery({
        ...tracked,
        aueAfter: `${year}-01-01`,
        aueBefore: `${year + 1}-01-01`,
      }),
    })),
    unknown: rows.find((row) => row.year === null)?.count ?? 0,
    total: matched,
  };
}

/**
 * Student devices whose updates end before the student graduates, by device school and grade. A group's
 * link narrows the list's filter to its school and grade; devices without a school have no such filter.
 */
async function aueCohorts(
  db: Kysely<DB>,
  scope: queries.ReportScope,
  base: DeviceFilter,
): Promise<AueCohorts> {
  const filter: DeviceFilter = { ...base, aueBeforeGraduation: 'true' };
  const rows = await queries.cohortCounts(db, scope, filter);
  const groups: CohortGroup[] = rows.flatMap((row) => {
    if (row.grade === null) return [];
    const { grade, schoolId } = row;
    return [
      {
        school: schoolId ? { id: schoolId, name: row.schoolName ?? '' } : null,
        grade,
        expectedGraduation: `${schoolYearEnd(scope.now) + 12 - grade}-${GRADUATION_MONTH_DAY}`,
        earliestAutoUpdateExpiration: row.earliestAue,
        count: row.count,
        devicesQuery: schoolId ? deviceListQuery({ ...filter, school: schoolId, grade }) : null,
      },
    ];
  });
  groups.sort(
    (a, b) =>
      Number(a.school === null) - Number(b.school === null) ||
      (a.school?.name ?? '').localeCompare(b.school?.name ?? '') ||
      a.grade - b.grade,
  );
  return {
    total: {
      count: groups.reduce((sum, group) => sum + group.count, 0),
      devicesQuery: deviceListQuery(filter),
    },
    groups,
  };
}

/** Provider devices outside the inventory, as the last successful full listing counted them. */
function outsideInventory(
  runs: Awaited<ReturnType<typeof queries.lastSuccessfulRuns>>,
): Coverage['outsideInventory'] {
  const full = runs.fullListing;
  const count = full?.counters.unmatchedProviderDevices;
  if (!full?.finished_at || typeof count !== 'number') return null;
  return {
    count,
    asOf: full.finished_at.toISOString(),
    latestRunWasFullListing: runs.latest?.id === full.id,
  };
}
