import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import type { ProviderTile, SyncRun } from '../../../common/mdm.ts';
import { isOpenRun, useSyncFinished, useSyncNow, useSyncRun, useSyncRuns } from '../../api/mdm.ts';
import { notifyError } from '../../lib/errors.ts';
import { lastSyncOf, outcomeOfRun, type SyncOutcome, syncResultText } from '../../lib/mdm.ts';
import { PROVIDER_UI } from '../../providers/index.ts';

/** While a provider is active, its run list is asked about this often, so a scheduled run shows up. */
const IDLE_POLL_MS = 30_000;

export interface TileSync {
  /** The run being watched while it is queued or running. */
  openRun: SyncRun | null;
  syncing: boolean;
  /** The latest finished run's outcome (the watched run once it ends, else the tile's last sync). */
  latest: SyncOutcome | null;
  syncNow: () => void;
  starting: boolean;
  /** The provider's runs, newest first, once loaded. */
  runs: SyncRun[] | undefined;
}

function newer(a: SyncOutcome, than: SyncOutcome): boolean {
  return new Date(a.at).getTime() > new Date(than.at).getTime();
}

/**
 * A provider tile's sync: finds a run already queued or running (scheduled, or queued by authorizing), starts
 * one on Sync now, watches it every second until it ends, then refreshes what it changed and says how it went.
 */
export function useTileSync(tile: ProviderTile): TileSync {
  const brand = PROVIDER_UI[tile.key].brand;
  const active = tile.state === 'active';
  const runs = useSyncRuns(tile.key, {
    enabled: tile.settings !== null,
    ...(active ? { pollMs: IDLE_POLL_MS } : {}),
  });
  const syncNowMutation = useSyncNow();
  const finished = useSyncFinished();
  const [watchedId, setWatchedId] = useState<string | null>(null);
  const watched = useSyncRun(watchedId);

  // A run opened elsewhere (the schedule, authorizing, another administrator) is watched as well: the tile
  // names it, and the run list finds one that started since the tile was fetched.
  const otherOpenId = tile.activeRun?.id ?? runs.data?.runs.find(isOpenRun)?.id ?? null;
  const watchedOpen = isOpenRun(watched.data);
  useEffect(() => {
    if (otherOpenId && otherOpenId !== watchedId && !watchedOpen) setWatchedId(otherOpenId);
  }, [otherOpenId, watchedId, watchedOpen]);

  // Seen queued or running here: once it ends, refresh and report it (once).
  const seenOpen = useRef(new Set<string>());
  const reported = useRef(new Set<string>());
  const run = watched.data;
  useEffect(() => {
    if (!run) return;
    if (isOpenRun(run)) {
      seenOpen.current.add(run.id);
      return;
    }
    if (!seenOpen.current.has(run.id) || reported.current.has(run.id)) return;
    reported.current.add(run.id);
    void finished(run);
    const outcome = outcomeOfRun(run);
    if (!outcome) return;
    if (run.state === 'succeeded') {
      notifications.show({
        id: `mdm-sync-${run.id}`,
        color: 'green',
        title: `${tile.name} synced`,
        message: syncResultText(outcome, brand),
      });
    } else {
      notifications.show({
        id: `mdm-sync-${run.id}`,
        color: run.state === 'failed' ? 'red' : 'yellow',
        title: run.state === 'failed' ? `Syncing ${tile.name} failed` : `Syncing ${tile.name} stopped`,
        message: run.error ?? 'The sync did not finish.',
        ...(run.state === 'failed' ? { autoClose: false } : {}),
      });
    }
  }, [run, finished, tile.name, brand]);

  const openRun = run && isOpenRun(run) ? run : null;

  // The tile's summary lacks the run's estimate and timing; the run list has them. A run watched to its end
  // has them too, and is on screen before the tile has been fetched again.
  const summary = lastSyncOf(tile);
  if (summary?.runId) summary.run = runs.data?.runs.find((item) => item.id === summary.runId) ?? null;
  const justFinished =
    run && (run.state === 'succeeded' || run.state === 'failed') ? outcomeOfRun(run) : null;
  const latest =
    justFinished && (!summary || summary.runId === justFinished.runId || newer(justFinished, summary))
      ? justFinished
      : summary;

  return {
    openRun,
    syncing: openRun !== null,
    latest,
    syncNow: () =>
      syncNowMutation.mutate(tile.key, {
        onSuccess: (started) => setWatchedId(started.id),
        onError: (error) => notifyError(error, `Could not sync ${tile.name}`),
      }),
    starting: syncNowMutation.isPending,
    runs: runs.data?.runs,
  };
}
