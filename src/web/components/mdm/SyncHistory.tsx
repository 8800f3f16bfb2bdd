import { Badge, Button, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { type ProviderTile, RunEstimate, type SyncRun } from '../../../common/mdm.ts';
import { useSyncRunHistory, useSyncUsage } from '../../api/mdm.ts';
import { formatCount, formatDateTime, formatDuration, formatRelative } from '../../lib/format.ts';
import { countersOf, estimateOf, RUN_STATE, RUN_TRIGGER } from '../../lib/mdm.ts';
import { PROVIDER_UI } from '../../providers/index.ts';
import { LoadError } from '../LoadError.tsx';
import { ScrollRegion } from '../ScrollRegion.tsx';
import { ApiUsageChart } from './ApiUsageChart.tsx';

const USAGE_DAYS = 30;

/** "Batch lookup", "Full listing", "Changes since Mar 4, 2026, 2:05 PM", in the provider's words. */
function strategyText(run: SyncRun): string {
  if (run.strategy === null) return '—';
  const since = run.estimate?.changedSince;
  if (run.estimate?.complete === false && typeof since === 'string')
    return `Changes since ${formatDateTime(since)}`;
  return PROVIDER_UI[run.provider].strategies[run.strategy]?.label ?? run.strategy;
}

/** Which requests the run was allowed, and a change of strategy part-way, with why. */
function scopeText(run: SyncRun): string | null {
  const parsed = RunEstimate.safeParse(run.estimate);
  if (!parsed.success) return null;
  const scope = parsed.data.requestScope === 'tracked_only' ? 'Only devices in Satchel' : 'Fewest API calls';
  const fallback = parsed.data.fallback;
  return fallback ? `${scope}; switched strategy: ${fallback.reason}` : scope;
}

/**
 * Whether the run looked at every tracked device: only a complete strategy that finished did (only then are
 * devices the provider lacks marked not found).
 */
function completePassText(run: SyncRun): string {
  const complete = run.estimate?.complete;
  if (typeof complete !== 'boolean') return '—';
  if (!complete) return 'No (changes only)';
  if (run.state === 'succeeded') return 'Yes';
  if (run.state === 'queued' || run.state === 'running') return 'In progress';
  return 'No (stopped)';
}

function durationText(run: SyncRun): string {
  if (run.state === 'queued' || run.state === 'running') return '…';
  if (!run.startedAt) return 'Never started';
  return formatDuration(run.startedAt, run.finishedAt);
}

function Count({ value }: { value: number }) {
  return <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{formatCount(value)}</Table.Td>;
}

function RunRow({ run }: { run: SyncRun }) {
  const counters = countersOf(run.counters);
  const estimate = estimateOf(run)?.apiCalls ?? null;
  const state = RUN_STATE[run.state];
  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatDateTime(run.queuedAt)}</Text>
        <Text size="xs" c="dimmed">
          {formatRelative(run.queuedAt)}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{RUN_TRIGGER[run.trigger]}</Table.Td>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {strategyText(run)}
        </Text>
        {scopeText(run) && (
          <Text
            size="xs"
            c="dimmed"
            title={RunEstimate.safeParse(run.estimate).data?.lookupNote ?? undefined}
          >
            {scopeText(run)}
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{completePassText(run)}</Table.Td>
      <Table.Td>
        <Badge color={state.color} variant="light" styles={{ label: { overflow: 'visible' } }}>
          {state.label}
        </Badge>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{durationText(run)}</Table.Td>
      <Count value={counters.considered} />
      <Count value={counters.matched} />
      <Count value={counters.changed} />
      <Count value={counters.unchanged} />
      <Count value={counters.notFound} />
      <Count value={counters.unmatchedProviderDevices} />
      <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
        {formatCount(counters.apiCalls)}
        {estimate !== null && (
          <Text span size="xs" c="dimmed">
            {' '}
            / {formatCount(estimate)}
          </Text>
        )}
      </Table.Td>
      <Count value={counters.retries} />
      <Table.Td>
        <Text size="sm" c={run.state === 'failed' ? 'red.8' : undefined} style={{ wordBreak: 'break-word' }}>
          {run.error ?? ''}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function UsageChart({ tile }: { tile: ProviderTile }) {
  const usage = useSyncUsage(tile.key, USAGE_DAYS);
  if (usage.isPending) return <Loader size="sm" aria-label="Loading the API calls per day" />;
  if (usage.isError) {
    return (
      <LoadError
        title="Could not load the API calls per day"
        error={usage.error}
        onRetry={() => usage.refetch()}
        retrying={usage.isFetching}
      />
    );
  }
  return <ApiUsageChart usage={usage.data} title={`API calls per day (last ${USAGE_DAYS} days)`} />;
}

function HistoryTable({ tile }: { tile: ProviderTile }) {
  const history = useSyncRunHistory(tile.key);
  // The provider's short name, as in "Not found in …".
  const brand = PROVIDER_UI[tile.key].label;
  if (history.isPending) return <Loader size="sm" aria-label="Loading the sync history" />;
  // Runs already on screen stay there when a later page or a refresh fails.
  if (!history.data) {
    return (
      <LoadError
        title="Could not load the sync history"
        error={history.error}
        onRetry={() => history.refetch()}
        retrying={history.isFetching}
      />
    );
  }
  const runs = history.data.pages.flatMap((page) => page.runs);
  if (runs.length === 0) return <Text c="dimmed">{tile.name} has not synced yet.</Text>;
  let shown = `All ${formatCount(runs.length)} runs, newest first.`;
  if (history.hasNextPage) shown = `The latest ${formatCount(runs.length)} runs, newest first.`;
  else if (runs.length === 1) shown = 'The only run so far.';
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {shown} Duration counts from the start of the run; API calls are those made, against the planner's
        estimate. A complete pass looks at every device Satchel syncs.
      </Text>
      <ScrollRegion label={`Sync runs of ${tile.name}`}>
        <Table miw={1500} striped verticalSpacing="xs" aria-label={`Sync history of ${tile.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Trigger</Table.Th>
              <Table.Th>Strategy</Table.Th>
              <Table.Th>Complete pass</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Considered</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Matched</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Changed</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Unchanged</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Not found in {brand}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Outside inventory</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>API calls / estimate</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Retries</Table.Th>
              <Table.Th>Error</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((run) => (
              <RunRow key={run.id} run={run} />
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
      {history.hasNextPage && (
        <Button
          variant="default"
          style={{ alignSelf: 'center' }}
          onClick={() => history.fetchNextPage()}
          loading={history.isFetchingNextPage}
        >
          Load more
        </Button>
      )}
      {history.isFetchNextPageError && <LoadError title="Could not load more runs" error={history.error} />}
      <Text size="xs" c="dimmed">
        Considered: the devices Satchel syncs (those with a synced status) when the run started. Outside
        inventory: devices {brand} returned that match no device Satchel syncs (not in the inventory, or with
        a status that is not synced). Satchel never adds them to the inventory.
      </Text>
    </Stack>
  );
}

/** Every recent sync run of a provider, with what each found and what it cost. */
export function SyncHistoryModal({
  tile,
  opened,
  onClose,
}: {
  tile: ProviderTile;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Sync history — ${tile.name}`} size="90rem">
      {opened && (
        <Stack gap="lg">
          <UsageChart tile={tile} />
          <HistoryTable tile={tile} />
        </Stack>
      )}
    </Modal>
  );
}
