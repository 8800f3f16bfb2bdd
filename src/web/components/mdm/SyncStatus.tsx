import { Paper, Progress, Stack, Text } from '@mantine/core';
import type { SyncRun } from '../../../common/mdm.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { type SyncOutcome, syncProgress, syncProgressText, syncResultText } from '../../lib/mdm.ts';
import { PROVIDER_UI } from '../../providers/index.ts';

/** A queued or running sync: a progress bar and how far it is, in devices and API calls. */
export function SyncProgressPanel({ run, providerName }: { run: SyncRun; providerName: string }) {
  const progress = syncProgress(run, PROVIDER_UI[run.provider].strategies);
  const text = syncProgressText(run, progress);
  const known = progress.percent !== null;
  return (
    <Paper withBorder p="md" radius="sm" bg="blue.0" role="status" aria-live="polite">
      <Stack gap={6}>
        <Progress.Root
          // Remounted between "working" and a real value, so the bar does not shrink from full to the value.
          key={known ? 'known' : 'unknown'}
          size="lg"
          role="progressbar"
          aria-label={`Sync progress of ${providerName}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress.percent ?? undefined}
          aria-valuetext={text}
        >
          {/* While the run is queued or planning, a full striped bar says "working" without a number. */}
          <Progress.Section
            withAria={false}
            value={known ? Math.max(progress.percent ?? 0, 2) : 100}
            color={known ? 'blue' : 'blue.3'}
            striped
            animated
          />
        </Progress.Root>
        <Text size="sm">{text}</Text>
        <Text size="xs" c="dimmed">
          {run.state === 'queued' ? 'Queued' : 'Started'} {formatRelative(run.startedAt ?? run.queuedAt)} (
          {formatDateTime(run.startedAt ?? run.queuedAt)})
        </Text>
      </Stack>
    </Paper>
  );
}

/** The "Last sync" value of a tile: when, what it found, and why it failed if it did. */
export function LastSyncValue({ latest, brand }: { latest: SyncOutcome | null; brand: string }) {
  if (!latest) return <>Never</>;
  const failed = latest.state === 'failed';
  return (
    <Stack gap={2}>
      <Text size="sm" component="span">
        {formatDateTime(latest.at)}{' '}
        <Text span size="sm" c="dimmed">
          ({formatRelative(latest.at)})
        </Text>
        {failed && (
          <Text span size="sm" c="red.8" fw={600}>
            {' '}
            · failed
          </Text>
        )}
      </Text>
      {failed && latest.error && (
        <Text size="sm" c="red.8" style={{ wordBreak: 'break-word' }}>
          {latest.error}
        </Text>
      )}
      <Text size="sm" c="dimmed">
        {syncResultText(latest, brand)}
      </Text>
    </Stack>
  );
}
