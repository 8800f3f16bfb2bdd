import type { Kysely } from 'kysely';
import { DEVICE_STATUSES, type DeviceFilter, type DeviceStatus } from '../../../common/inventory.ts';
import { DEFAULT_SYNCED_STATUSES, type ProviderKey, SYNCING_STATES } from '../../../common/mdm.ts';
import { type MdmSourceCondition, sourceConditionOf } from '../../../common/mdm-source.ts';
import {
  type AueByYear,
  type AueCohorts,
  type CohortGroup,
  type Coverage,
  type MdmReport,
  NOT_SEEN_DAYS,
  type NotSeenFigure,
  type ProviderCoverage,
  type ReportFigure,
} from '../../../common/reports.ts';
import { GRADUATION_MONTH_DAY, schoolYearEnd } from '../../../common/school-year.ts';
import type { RequestContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { providerByKey, providers } from '../../mdm/registry.ts';
import { mdmProvidersWithData } from '../device-mdm.ts';
import * as queries from './queries.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The district's fleet as one provider sees it. Each figure is the device list's count for a filter, and its
 * link is that filter as a query string, so the number and the list behind it cannot disagree.
 */
export async function mdmReport(
  ctx: RequestContext,
  db: Kysely<DB>,
  asked: ProviderKey | undefined,
  now = new Date(),
): Promise<MdmReport> {
  const known = await districtProviders(db, ctx.districtId);
  const provider = providerByKey(asked ?? known[0]?.key ?? (providers[0] as { key: ProviderKey }).key);
  const providerKey = provider.key;
  const scope: queries.ReportScope = { districtId: ctx.districtId, provider: provider.key, now };
  const syncedStatuses = syncedStatusesOf(await queries.connectionSettings(db, ctx.districtId, provider.key));
  const base: DeviceFilter = { mdmProvider: providerKey };
  const tracked = trackedFilter(base, syncedStatuses);
  const figure = (filter: DeviceFilter) => figureOf(db, scope, filter);

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

  const coverageByProvider = await Promise.all(
    known.map((each) => providerCoverage(db, { ...scope, provider: each.key }, each)),
  );
  // Devices some connection tracks (the default statuses when there is none) that no provider returned.
  const anyTracked = [...new Set(known.flatMap((each) => syncedStatusesOf(each.settings)))];
  return {
    provider: { key: providerKey, name: provider.name },
    condition: known.find((each) => each.key === providerKey)?.condition ?? 'inactive',
    providers: known.map((each) => ({ key: each.key, name: providerByKey(each.key).name })),
    coverageByProvider,
    inNoMdm: await figure({
      ...trackedFilter({}, anyTracked.length > 0 ? anyTracked : [...DEFAULT_SYNCED_STATUSES]),
      mdmMatch: 'unmatched',
    }),
    // Runs outlive the data they brought (an administrator can remove it): only stored records count.
    hasData: fetchedAt !== null,
    asOf: {
      recordsFetchedAt: fetchedAt?.toISOString() ?? null,
      lastSuccessfulSyncAt: runs.latest?.finished_at?.toISOString() ?? null,
    },
    today: dayOf(now),
    autoUpdateExpirationByYear: {
      ...aueByYear(
        await queries.aueYearCounts(db, scope, { ...tracked, mdmMatch: 'matched' }),
        matched,
        tracked,
      ),
      expired: await figure({ ...tracked, aueBefore: dayOf(now) }),
    },
    aueCohorts: await aueCohorts(db, scope, base),
    notSeen,
    userMismatches: await figure({ ...base, userMismatch: 'true' }),
    conflicts: {
      any: await figure({ ...base, mdmConflict: 'any' }),
      model: await figure({ ...base, mdmConflict: 'model' }),
      assetTag: await figure({ ...base, mdmConflict: 'assetTag' }),
      user: await figure({ ...base, mdmConflict: 'user' }),
    },
    duplicates: await figure({ ...base, mdmDuplicates: 'true' }),
    coverage: await coverageOf(db, scope, syncedStatuses, runs),
  };
}

/** Coverage by each provider the district has data from or a connection to (the report's side-by-side figures). */
export async function districtCoverage(
  ctx: RequestContext,
  db: Kysely<DB>,
  now = new Date(),
): Promise<ProviderCoverage[]> {
  const known = await districtProviders(db, ctx.districtId);
  return Promise.all(
    known.map((each) => providerCoverage(db, { districtId: ctx.districtId, provider: each.key, now }, each)),
  );
}

/** A count and the device list behind it. */
export async function figureOf(
  db: Kysely<DB>,
  scope: queries.ReportScope,
  filter: DeviceFilter,
): Promise<ReportFigure> {
  return { count: await queries.countFiltered(db, scope, filter), devicesQuery: deviceListQuery(filter) };
}

/** The devices with one of these statuses; every status synced needs no filter, and the links stay short. */
function trackedFilter(base: DeviceFilter, statuses: readonly DeviceStatus[]): DeviceFilter {
  return DEVICE_STATUSES.every((status) => statuses.includes(status))
    ? base
    : { ...base, status: [...statuses] };
}

/** How much of what a provider tracks it returned, did not return, or has not synced yet. */
async function coverageOf(
  db: Kysely<DB>,
  scope: queries.ReportScope,
  syncedStatuses: DeviceStatus[],
  runs: Awaited<ReturnType<typeof queries.lastSuccessfulRuns>>,
): Promise<Coverage> {
  const tracked = trackedFilter({ mdmProvider: scope.provider as ProviderKey }, syncedStatuses);
  return {
    syncedStatuses,
    tracked: await figureOf(db, scope, tracked),
    matched: await figureOf(db, scope, { ...tracked, mdmMatch: 'matched' }),
    notFound: await figureOf(db, scope, { ...tracked, mdmMatch: 'not_found' }),
    neverSynced: await figureOf(db, scope, { ...tracked, mdmMatch: 'none' }),
    outsideInventory: outsideInventory(runs),
  };
}

async function providerCoverage(
  db: Kysely<DB>,
  scope: queries.ReportScope,
  connection: DistrictProvider,
): Promise<ProviderCoverage> {
  const runs = await queries.lastSuccessfulRuns(db, scope.districtId, scope.provider);
  return {
    provider: { key: connection.key, name: providerByKey(connection.key).name },
    active: connection.active,
    condition: connection.condition,
    ...(await coverageOf(db, scope, syncedStatusesOf(connection.settings), runs)),
  };
}

interface DistrictProvider {
  key: ProviderKey;
  settings: Record<string, unknown> | null;
  active: boolean;
  condition: MdmSourceCondition;
}

/** The providers the district has data from or a connection to, in the registry's order. */
async function districtProviders(db: Kysely<DB>, districtId: string): Promise<DistrictProvider[]> {
  const [withData, connections] = await Promise.all([
    mdmProvidersWithData(db, districtId),
    queries.connectionsOf(db, districtId),
  ]);
  return providers.flatMap((provider) => {
    const connection = connections.find((candidate) => candidate.provider === provider.key);
    if (!connection && !withData.includes(provider.key)) return [];
    return [
      {
        key: provider.key,
        settings: connection?.settings ?? null,
        active: connection !== undefined && SYNCING_STATES.includes(connection.state),
        condition: sourceConditionOf(connection?.state),
      },
    ];
  });
}

/** A device filter as the query string of `GET /devices` and the /devices page (lists repeat the parameter). */
export function deviceListQuery(filter: DeviceFilter): string {
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
): Omit<AueByYear, 'expired'> {
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
