import {
  Alert,
  Anchor,
  Button,
  EmptyState,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import type { ProviderKey } from '../../common/mdm.ts';
import { SOURCE_CONDITION_LABELS } from '../../common/mdm-source.ts';
import type { MdmReport, ReportFigure } from '../../common/reports.ts';
import { useMdmReport } from '../api/reports.ts';
import { LoadError } from '../components/LoadError.tsx';
import { Page } from '../components/Page.tsx';
import { AueYearChart } from '../components/reports/AueYearChart.tsx';
import { CohortTable } from '../components/reports/CohortTable.tsx';
import { FigureTile } from '../components/reports/FigureTile.tsx';
import { devicesPath } from '../components/reports/links.ts';
import { ReportSection } from '../components/reports/ReportSection.tsx';
import { useHasPermission } from '../components/SessionContext.tsx';
import { formatCount, formatDate, formatDateTime, formatDay, plural } from '../lib/format.ts';
import { STATUS_LABELS } from '../lib/inventory.ts';
import { STALE_CHECK_IN_DAYS } from '../lib/mdmWarnings.ts';
import { PROVIDER_UI } from '../providers/index.ts';

/** Reports: the fleet as the district's MDM sees it, every figure a link to the devices behind it. */
export function ReportsPage() {
  const [provider, setProvider] = useState<ProviderKey | null>(null);
  const report = useMdmReport(provider);
  let body: ReactNode;
  if (report.isPending) {
    body = <Loader aria-label="Loading reports" />;
  } else if (report.isError) {
    body = (
      <LoadError
        title="Could not load reports"
        error={report.error}
        onRetry={() => report.refetch()}
        retrying={report.isFetching}
      />
    );
  } else if (!report.data.hasData) {
    body = <NoMdmData providerName={report.data.provider.name} />;
  } else {
    body = <MdmReports report={report.data} onProvider={setProvider} />;
  }
  return <Page title="Reports">{body}</Page>;
}

function NoMdmData({ providerName }: { providerName: string }) {
  const isAdmin = useHasPermission('system.settings');
  return (
    <EmptyState>
      <EmptyState.Title order={2}>No MDM data yet</EmptyState.Title>
      <EmptyState.Description>
        Reports are built from what {providerName} knows about your devices: auto-update expiration, last
        check-in, users and enrolments. They appear once the provider is connected and has synced.
        {!isAdmin && ' Ask a district administrator to connect it.'}
      </EmptyState.Description>
      {isAdmin && (
        <EmptyState.Actions>
          <Button component={Link} to="/settings/mdm">
            Open MDM Settings
          </Button>
        </EmptyState.Actions>
      )}
    </EmptyState>
  );
}

function MdmReports({ report, onProvider }: { report: MdmReport; onProvider: (key: ProviderKey) => void }) {
  const { provider, asOf } = report;
  const brand = PROVIDER_UI[provider.key].label;
  const intro = [
    `From ${provider.name}.`,
    asOf.recordsFetchedAt && `Newest device data fetched ${formatDateTime(asOf.recordsFetchedAt)}.`,
    asOf.lastSuccessfulSyncAt && `Last successful sync ${formatDateTime(asOf.lastSuccessfulSyncAt)}.`,
    'Select any figure to see its devices.',
  ]
    .filter(Boolean)
    .join(' ');
  const kept = report.condition === 'current' ? '' : ` (${SOURCE_CONDITION_LABELS[report.condition]})`;
  const source = `${brand}${kept} · as of ${formatDateTime(asOf.recordsFetchedAt ?? asOf.lastSuccessfulSyncAt)}`;
  const aue = report.autoUpdateExpirationByYear;
  const cohorts = report.aueCohorts;
  const statuses = report.coverage.syncedStatuses.map((status) => STATUS_LABELS[status]).join(', ');
  return (
    <Stack gap="lg">
      {report.providers.length > 1 && <ProviderCoverageTable report={report} />}
      {report.providers.length > 1 && (
        <SegmentedControl
          aria-label="Reports from"
          value={provider.key}
          onChange={(value) => {
            const chosen = report.providers.find((each) => each.key === value);
            if (chosen) onProvider(chosen.key);
          }}
          data={report.providers.map((each) => ({ value: each.key, label: PROVIDER_UI[each.key].label }))}
          style={{ alignSelf: 'flex-start' }}
        />
      )}
      <Text size="sm" c="dimmed">
        {intro}
      </Text>
      {report.condition !== 'current' && (
        <Alert color="orange" title={`Data kept from ${provider.name}`} role="note" data-testid="kept-report">
          {provider.name} is {SOURCE_CONDITION_LABELS[report.condition]}: these figures read the data its last
          sync left ({formatDateTime(asOf.recordsFetchedAt)}), which is not being updated.
        </Alert>
      )}

      <ReportSection
        title="Auto-update expiration by year"
        source={source}
        description={
          <>
            Synced devices ({statuses}) that {brand} knows:{' '}
            <Anchor component={Link} to={devicesPath(aue.total.devicesQuery)} size="sm">
              {plural(aue.total.count, 'device')}
            </Anchor>
            {aue.unknown > 0 && `, ${formatCount(aue.unknown)} with no expiration date reported`}.
          </>
        }
      >
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <FigureTile
            label="Already expired"
            figure={aue.expired}
            color="red.8"
            description={`Auto-update support ended before ${formatDay(report.today)}: no more updates.`}
          />
        </SimpleGrid>
        {aue.years.length > 0 ? (
          <AueYearChart years={aue.years} currentYear={Number(report.today.slice(0, 4))} />
        ) : (
          <Text size="sm">No device reports an auto-update expiration date.</Text>
        )}
      </ReportSection>

      <ReportSection
        title="Expiring before graduation"
        source={source}
        description={
          <>
            Devices checked out to students whose auto-update support ends before the student’s expected
            graduation (June 30 of their final year):{' '}
            <Anchor component={Link} to={devicesPath(cohorts.total.devicesQuery)} size="sm">
              {plural(cohorts.total.count, 'device')}
            </Anchor>
            .
          </>
        }
      >
        {cohorts.groups.length > 0 ? (
          <CohortTable groups={cohorts.groups} />
        ) : (
          <Text size="sm">Every student’s device receives updates until they graduate.</Text>
        )}
      </ReportSection>

      <ReportSection
        title="Not seen recently"
        source={source}
        description={`In-service devices that have not checked in with ${brand} since the day shown, or never reported a check-in.`}
      >
        <SimpleGrid cols={{ base: 1, xs: 3 }}>
          {report.notSeen.map((figure) => (
            <FigureTile
              key={figure.days}
              label={`Not seen in ${figure.days} days`}
              figure={figure}
              color={figure.days === STALE_CHECK_IN_DAYS ? 'orange' : 'red'}
              description={`Last check-in before ${formatDay(figure.since)}`}
            />
          ))}
        </SimpleGrid>
      </ReportSection>

      <ReportSection title="Needs a look" source={source}>
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <FigureTile
            label="User mismatches"
            figure={report.userMismatches}
            color="yellow.8"
            description={`Checked out to one person, but ${brand}’s annotated or most recent user is someone else.`}
          />
          <FigureTile
            label="Disagrees with the inventory"
            figure={report.conflicts.any}
            color="red.8"
            description={
              <>
                Model <FigureLink figure={report.conflicts.model} />, asset tag{' '}
                <FigureLink figure={report.conflicts.assetTag} />, user{' '}
                <FigureLink figure={report.conflicts.user} /> differ from {brand}’s.
              </>
            }
          />
          <FigureTile
            label="Enrolled more than once"
            figure={report.duplicates}
            color="yellow.8"
            description={`${brand} has several devices with this serial number (re-enrolments).`}
          />
        </SimpleGrid>
      </ReportSection>

      <Coverage report={report} brand={brand} source={source} />
    </Stack>
  );
}

/** A figure as a link to its devices. */
function FigureLink({ figure }: { figure: ReportFigure }) {
  return (
    <Anchor component={Link} to={devicesPath(figure.devicesQuery)} size="sm">
      {formatCount(figure.count)}
    </Anchor>
  );
}

/** Every provider's coverage side by side, and the tracked devices no provider knows. */
function ProviderCoverageTable({ report }: { report: MdmReport }) {
  return (
    <ReportSection
      title="Coverage by MDM"
      source="Each provider as of its last sync"
      description={
        <>
          Tracked devices in no MDM (not found by any provider, or never synced):{' '}
          <FigureLink figure={report.inNoMdm} />.
        </>
      }
    >
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label="Coverage by MDM">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Provider</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Synced devices</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Found</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Not found</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Never synced</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Outside the inventory</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.coverageByProvider.map((coverage) => (
              <Table.Tr key={coverage.provider.key}>
                <Table.Td>
                  {coverage.provider.name}
                  {coverage.condition !== 'current' && (
                    <Text span size="xs" c="orange">
                      {' '}
                      ({SOURCE_CONDITION_LABELS[coverage.condition]}: data kept from its last sync)
                    </Text>
                  )}
                </Table.Td>
                {[coverage.tracked, coverage.matched, coverage.notFound, coverage.neverSynced].map(
                  (figure, index) => (
                    <Table.Td key={String(index)} style={{ textAlign: 'right' }}>
                      <FigureLink figure={figure} />
                    </Table.Td>
                  ),
                )}
                <Table.Td style={{ textAlign: 'right' }}>
                  {coverage.outsideInventory ? formatCount(coverage.outsideInventory.count) : 'unknown'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </ReportSection>
  );
}

function Coverage({ report, brand, source }: { report: MdmReport; brand: string; source: string }) {
  const { coverage } = report;
  const outside = coverage.outsideInventory;
  return (
    <ReportSection
      title="Coverage"
      source={source}
      description={`How much of the inventory ${brand} knows, for the statuses it syncs (${coverage.syncedStatuses
        .map((status) => STATUS_LABELS[status])
        .join(', ')}).`}
    >
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <FigureTile label="Synced devices" figure={coverage.tracked} />
        <FigureTile label={`Found in ${brand}`} figure={coverage.matched} color="green.8" />
        <FigureTile
          label={`Not found in ${brand}`}
          figure={coverage.notFound}
          color="red"
          description="Not returned by the last complete sync."
        />
        <FigureTile
          label="Never synced"
          figure={coverage.neverSynced}
          color="orange"
          description="Added since the last sync, or never looked up."
        />
      </SimpleGrid>
      <Group gap={6}>
        <Text size="sm" fw={500}>
          {brand} devices outside the inventory:
        </Text>
        {outside ? (
          <Text size="sm">
            {formatCount(outside.count)}{' '}
            <Text span size="sm" c="dimmed">
              (counted by the full listing of {formatDate(outside.asOf)}
              {outside.latestRunWasFullListing ? '' : '; later syncs looked up inventory devices only'})
            </Text>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            unknown until a sync lists the whole {brand} fleet
          </Text>
        )}
      </Group>
    </ReportSection>
  );
}
