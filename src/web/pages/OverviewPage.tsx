import { Anchor, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Overview } from '../../common/overview.ts';
import type { ReportFigure } from '../../common/reports.ts';
import { useOverview } from '../api/overview.ts';
import { LoadError } from '../components/LoadError.tsx';
import { SyncHealthTable } from '../components/overview/SyncHealthTable.tsx';
import { Page } from '../components/Page.tsx';
import { FigureTile } from '../components/reports/FigureTile.tsx';
import { devicesPath } from '../components/reports/links.ts';
import { ReportSection } from '../components/reports/ReportSection.tsx';
import { useHasPermission } from '../components/SessionContext.tsx';
import { formatCount, formatDay } from '../lib/format.ts';
import { STATUS_LABELS } from '../lib/inventory.ts';

/** The home page for every role: the inventory at a glance, what needs attention, MDM coverage, sync health. */
export function OverviewPage() {
  const overview = useOverview();
  let body: ReactNode;
  if (overview.isPending) body = <Loader aria-label="Loading the overview" />;
  else if (overview.isError)
    body = (
      <LoadError
        title="Could not load the overview"
        error={overview.error}
        onRetry={() => overview.refetch()}
        retrying={overview.isFetching}
      />
    );
  else body = <OverviewFigures overview={overview.data} />;
  return <Page title="Overview">{body}</Page>;
}

function FigureLink({ figure, label }: { figure: ReportFigure; label: string }) {
  return (
    <Anchor
      component={Link}
      to={devicesPath(figure.devicesQuery)}
      size="sm"
      fw={600}
      aria-label={`${label}: ${formatCount(figure.count)}`}
    >
      {formatCount(figure.count)}
    </Anchor>
  );
}

function CountList({ title, rows }: { title: string; rows: { label: string; figure: ReportFigure }[] }) {
  return (
    <Table aria-label={title} verticalSpacing={4}>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.label}>
            <Table.Td>{row.label}</Table.Td>
            <Table.Td style={{ textAlign: 'right' }}>
              <FigureLink figure={row.figure} label={row.label} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function OverviewFigures({ overview }: { overview: Overview }) {
  const canManage = useHasPermission('system.settings');
  const { autoUpdate } = overview;
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <FigureTile label="Devices" figure={overview.total} />
        <FigureTile
          label={`Not seen in ${overview.notSeen.days} days`}
          figure={overview.notSeen}
          color="orange.8"
          description={`In service, no MDM check-in since ${formatDay(overview.notSeen.since)}`}
        />
        <FigureTile
          label="Auto-update expires this school year"
          figure={autoUpdate.expiresThisSchoolYear}
          color="yellow.9"
          description={`Still updating today, but not after ${formatDay(autoUpdate.schoolYear.to)}`}
        />
        <FigureTile
          label="Auto-update expired"
          figure={autoUpdate.expired}
          color="red.8"
          description="No longer receiving updates"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ReportSection title="Devices by status" source="Inventory">
          <CountList
            title="Devices by status"
            rows={overview.byStatus.map((figure) => ({ label: STATUS_LABELS[figure.status], figure }))}
          />
        </ReportSection>
        <ReportSection title="Devices by school" source="Inventory">
          <CountList
            title="Devices by school"
            rows={overview.bySchool.map((figure) => ({ label: figure.school?.name ?? 'No school', figure }))}
          />
        </ReportSection>
      </SimpleGrid>
      <ReportSection title="MDM coverage" source="Each provider as of its last sync">
        {overview.coverage.length === 0 ? (
          <Text size="sm" c="dimmed">
            No MDM is connected yet.
          </Text>
        ) : (
          <CoverageTable coverage={overview.coverage} />
        )}
      </ReportSection>
      <ReportSection
        title="Sync health"
        source={canManage ? 'Change in MDM Settings' : 'Read-only'}
        description="When each provider last synced, whether it worked, and when it syncs next."
      >
        {overview.syncHealth.length === 0 ? (
          <Text size="sm" c="dimmed">
            No MDM has been activated.
          </Text>
        ) : (
          <SyncHealthTable health={overview.syncHealth} canManage={canManage} />
        )}
      </ReportSection>
    </Stack>
  );
}

function CoverageTable({ coverage }: { coverage: Overview['coverage'] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label="MDM coverage">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Provider</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>Matched</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>Not found</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>Never synced</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>Outside the inventory</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {coverage.map((entry) => {
            const name = entry.provider.name;
            return (
              <Table.Tr key={entry.provider.key}>
                <Table.Td>
                  {name}
                  {!entry.active && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      (inactive: data kept from its last sync)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>
                  <FigureLink figure={entry.matched} label={`${name}: matched`} />
                </Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>
                  <FigureLink figure={entry.notFound} label={`${name}: not found`} />
                </Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>
                  <FigureLink figure={entry.neverSynced} label={`${name}: never synced`} />
                </Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>
                  {entry.outsideInventory ? (
                    <Text span size="sm" title={`As of ${entry.outsideInventory.asOf}`}>
                      {formatCount(entry.outsideInventory.count)}
                    </Text>
                  ) : (
                    <Text span size="sm" c="dimmed" title="Only a full listing of the provider counts these">
                      unknown
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
