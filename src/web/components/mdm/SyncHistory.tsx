import { Badge, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import type { ProviderTile, SyncRun } from '../../../common/mdm.ts';
import { useSyncRuns } from '../../api/mdm.ts';
import { formatCount, formatDateTime, formatDuration, formatRelative } from '../../lib/format.ts';
import { countersOf, estimateOf, RUN_STATE, RUN_TRIGGER, strategyLabel } from '../../lib/mdm.ts';
import { LoadError } from '../LoadError.tsx';
import { PROVIDER_UI } from './providers.ts';

function Count({ value }: { value: number }) {
  return <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{formatCount(value)}</Table.Td>;
}

function RunRow({ run }: { run: SyncRun }) {
  const counters = countersOf(run.counters);
  const estimate = estimateOf(run)?.apiCalls ?? null;
  const state = RUN_STATE[run.state];
  const open = run.state === 'queued' || run.state === 'running';
  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatDateTime(run.queuedAt)}</Text>
        <Text size="xs" c="dimmed">
          {formatRelative(run.queuedAt)}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{RUN_TRIGGER[run.trigger]}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{strategyLabel(run.strategy)}</Table.Td>
      <Table.Td>
        <Badge color={state.color} variant="light" styles={{ label: { overflow: 'visible' } }}>
          {state.label}
        </Badge>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {open ? '…' : formatDuration(run.startedAt ?? run.queuedAt, run.finishedAt)}
      </Table.Td>
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

function HistoryTable({ tile }: { tile: ProviderTile }) {
  const runs = useSyncRuns(tile.key);
  const brand = PROVIDER_UI[tile.key].brand;
  if (runs.isPending) return <Loader size="sm" aria-label="Loading the sync history" />;
  if (runs.isError) {
    return (
      <LoadError
        title="Could not load the sync history"
        error={runs.error}
        onRetry={() => runs.refetch()}
        retrying={runs.isFetching}
      />
    );
  }
  if (runs.data.runs.length === 0) return <Text c="dimmed">{tile.name} has not synced yet.</Text>;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {runs.data.runs.length === 1
          ? 'The only run so far.'
          : `The latest ${formatCount(runs.data.runs.length)} runs, newest first.`}{' '}
        Duration counts from the start of the run; API calls are those made, against the planner's estimate.
      </Text>
      <Table.ScrollContainer minWidth={1300}>
        <Table striped verticalSpacing="xs" aria-label={`Sync history of ${tile.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Trigger</Table.Th>
              <Table.Th>Strategy</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Matched</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Changed</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Unchanged</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Not found in {brand}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Unmatched {brand} devices</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>API calls / estimate</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Retries</Table.Th>
              <Table.Th>Error</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.data.runs.map((run) => (
              <RunRow key={run.id} run={run} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        Unmatched {brand} devices: devices {brand} returned that match no device Satchel syncs (not in the
        inventory, or with a status that is not synced). Satchel never adds them to the inventory.
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
      {opened && <HistoryTable tile={tile} />}
    </Modal>
  );
}
