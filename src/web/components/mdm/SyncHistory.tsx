import { Badge, Button, Collapse, DataList, Group, Loader, Modal, Paper, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type ReactNode, useId, useState } from 'react';
import { type ProviderTile, RunEstimate, type SyncRun } from '../../../common/mdm.ts';
import { useSyncRunHistory, useSyncUsage } from '../../api/mdm.ts';
import { formatCount, formatDateTime, formatDuration, formatRelative } from '../../lib/format.ts';
import { countersOf, estimateOf, outsideInventoryOf, RUN_STATE } from '../../lib/mdm.ts';
import { RUN_BEGAN, runSummary } from '../../lib/syncRunWords.ts';
import { PROVIDER_UI } from '../../providers/index.ts';
import { LoadError } from '../LoadError.tsx';
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

function DetailItem({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** Only a complete listing of the provider counts its devices outside the inventory; lookups cannot. */
function outsideInventoryText(run: SyncRun): string {
  const outside = outsideInventoryOf(run);
  return outside === null ? 'unknown (only a complete listing counts them)' : formatCount(outside);
}

/** The engineer's view of a run: how it was planned, what it cost, every count. */
function RunDetails({ run, brand }: { run: SyncRun; brand: string }) {
  const counters = countersOf(run.counters);
  const estimate = estimateOf(run)?.apiCalls ?? null;
  const lookupNote = RunEstimate.safeParse(run.estimate).data?.lookupNote;
  return (
    <DataList labelWidth={170} gap={4} mt="xs">
      <DetailItem label="Strategy">{strategyText(run)}</DetailItem>
      {scopeText(run) && <DetailItem label="Requests allowed">{scopeText(run)}</DetailItem>}
      {lookupNote && <DetailItem label="Lookups can miss">{lookupNote}</DetailItem>}
      <DetailItem label="Complete pass">{completePassText(run)}</DetailItem>
      <DetailItem label="API calls / estimate">
        {formatCount(counters.apiCalls)} / {estimate === null ? '—' : formatCount(estimate)}
      </DetailItem>
      <DetailItem label="Retries">{formatCount(counters.retries)}</DetailItem>
      <DetailItem label="Duration">{durationText(run)}</DetailItem>
      <DetailItem label="Considered">{formatCount(counters.considered)}</DetailItem>
      <DetailItem label="Matched">{formatCount(counters.matched)}</DetailItem>
      <DetailItem label="Changed">{formatCount(counters.changed)}</DetailItem>
      <DetailItem label="Unchanged">{formatCount(counters.unchanged)}</DetailItem>
      <DetailItem label={`Not found in ${brand}`}>{formatCount(counters.notFound)}</DetailItem>
      <DetailItem label="Outside inventory">{outsideInventoryText(run)}</DetailItem>
      {run.error && <DetailItem label="Error">{run.error}</DetailItem>}
    </DataList>
  );
}

/** One run: when and how it began, what happened in words, and Details for the rest. */
function RunItem({ run, brand }: { run: SyncRun; brand: string }) {
  const [open, setOpen] = useState(false);
  const state = RUN_STATE[run.state];
  const detailsId = useId();
  return (
    <Paper component="li" withBorder p="sm" data-run={run.id}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm" fw={600}>
          {RUN_BEGAN[run.trigger]} · {formatDateTime(run.queuedAt)}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {formatRelative(run.queuedAt)}
          </Text>
          <Badge color={state.color} variant="light">
            {state.label}
          </Badge>
        </Group>
      </Group>
      <Text size="sm" mt={4} c={run.state === 'failed' ? 'red' : undefined}>
        {runSummary(run, brand)}
      </Text>
      <Button
        variant="subtle"
        size="compact-sm"
        mt={4}
        px={0}
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setOpen((shown) => !shown)}
      >
        {open ? 'Hide details' : 'Details'}
      </Button>
      <Collapse expanded={open} id={detailsId}>
        {open && <RunDetails run={run} brand={brand} />}
      </Collapse>
    </Paper>
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

function RunHistory({ tile }: { tile: ProviderTile }) {
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
        {shown}
      </Text>
      <Stack
        component="ol"
        gap="xs"
        aria-label={`Sync runs of ${tile.name}`}
        m={0}
        p={0}
        style={{ listStyle: 'none' }}
      >
        {runs.map((run) => (
          <RunItem key={run.id} run={run} brand={brand} />
        ))}
      </Stack>
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
        Under Details, considered is the devices Satchel syncs (those with a synced status) when the run
        started; outside inventory is the devices {brand} returned that match none of them. Satchel never adds
        those to the inventory.
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
  const onPhone = useMediaQuery('(max-width: 36em)') ?? false;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Sync history — ${tile.name}`}
      size="xl"
      fullScreen={onPhone}
    >
      {opened && (
        <Stack gap="lg">
          <UsageChart tile={tile} />
          <RunHistory tile={tile} />
        </Stack>
      )}
    </Modal>
  );
}
