import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type {
  ProviderKey,
  ProviderTile,
  RequestScopeEstimates,
  SyncRun,
  SyncRunList,
  SyncUsage,
} from '../../common/mdm.ts';
import { notifySuccess } from '../lib/errors.ts';
import { api } from './client.ts';
import { queryKeys } from './keys.ts';

export interface ProviderList {
  providers: ProviderTile[];
}

function providerPath(key: ProviderKey, action = ''): string {
  return `/mdm/providers/${encodeURIComponent(key)}${action}`;
}

export function useMdmProviders() {
  return useQuery({
    queryKey: queryKeys.mdmProviders,
    queryFn: ({ signal }) => api<ProviderList>('/mdm/providers', { signal }),
  });
}

/**
 * Puts the tile a write returned into the list, then refetches. Device screens show provider data (and label
 * data from inactive providers), so they are refetched too.
 */
function useTileWrite<Variables>(
  write: (variables: Variables) => Promise<ProviderTile>,
  /** Told of the written tile even when the form that wrote it is gone (it closes as the tile turns active). */
  written?: (tile: ProviderTile) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async (tile) => {
      written?.(tile);
      queryClient.setQueryData<ProviderList>(queryKeys.mdmProviders, (list) =>
        list
          ? { providers: list.providers.map((existing) => (existing.key === tile.key ? tile : existing)) }
          : list,
      );
      // Deactivating cancels queued runs, so the sync history changes too.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.mdmProviders }),
        queryClient.invalidateQueries({ queryKey: queryKeys.devices }),
        queryClient.invalidateQueries({ queryKey: queryKeys.mdmRuns }),
      ]);
    },
  });
}

export function useActivateProvider() {
  return useTileWrite(({ key, settings }: { key: ProviderKey; settings: Record<string, unknown> }) =>
    api<ProviderTile>(providerPath(key, '/activate'), { method: 'POST', body: { settings } }),
  );
}

export function useUpdateProviderSettings() {
  return useTileWrite(({ key, settings }: { key: ProviderKey; settings: Record<string, unknown> }) =>
    api<ProviderTile>(providerPath(key, '/settings'), { method: 'PATCH', body: { settings } }),
  );
}

/** Sends the provider's credentials (their shape is the provider's); the server tests them before storing. */
export function useSubmitCredentials() {
  return useTileWrite(
    ({ key, credentials }: { key: ProviderKey; credentials: Record<string, unknown> }) =>
      api<ProviderTile>(providerPath(key, '/credentials'), { method: 'POST', body: credentials }),
    (tile) =>
      notifySuccess(
        `The credentials work: ${tile.name} is active${tile.authorizedAccount ? ` as ${tile.authorizedAccount}` : ''}.`,
        'Connection tested',
      ),
  );
}

/** The planner's estimate of calls per sync under each request scope, for this district. */
export function useScopeEstimates(key: ProviderKey) {
  return useQuery({
    queryKey: [...queryKeys.mdmRunList(key), 'estimates'],
    queryFn: ({ signal }) => api<RequestScopeEstimates>(providerPath(key, '/estimates'), { signal }),
  });
}

export function useDeactivateProvider() {
  return useTileWrite((key: ProviderKey) =>
    api<ProviderTile>(providerPath(key, '/deactivate'), { method: 'POST' }),
  );
}

export function useDisconnectProvider() {
  return useTileWrite((key: ProviderKey) =>
    api<ProviderTile>(providerPath(key, '/disconnect'), { method: 'POST' }),
  );
}

/** Asks the server for the provider's consent-screen address; the caller sends the browser there. */
export function useStartAuthorization() {
  return useMutation({
    mutationFn: (key: ProviderKey) =>
      api<{ authorizationUrl: string }>(providerPath(key, '/authorize'), { method: 'POST' }),
  });
}

export function useRemoveSyncedData() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: ProviderKey) =>
      api<{ removed: number }>(providerPath(key, '/data'), { method: 'DELETE' }),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.mdmProviders }),
        queryClient.invalidateQueries({ queryKey: queryKeys.devices }),
      ]);
    },
  });
}

/** A run still to finish: it is worth asking about again. */
export function isOpenRun(run: Pick<SyncRun, 'state'> | null | undefined): boolean {
  return run?.state === 'queued' || run?.state === 'running';
}

/** How often a run being watched is asked about while it is queued or running. */
export const RUN_POLL_MS = 1000;

/**
 * A provider's sync runs, newest first (the server's first page: the latest 50). While the newest is still open
 * the list refreshes now and then; `pollMs` also refreshes it when none is, so a scheduled run is noticed.
 */
export function useSyncRuns(key: ProviderKey, options: { enabled?: boolean; pollMs?: number } = {}) {
  return useQuery({
    queryKey: queryKeys.mdmRunList(key),
    queryFn: ({ signal }) => api<SyncRunList>(providerPath(key, '/runs'), { signal }),
    enabled: options.enabled ?? true,
    refetchInterval: (query) =>
      isOpenRun(query.state.data?.runs[0]) ? 5 * RUN_POLL_MS : (options.pollMs ?? false),
  });
}

/** Runs per page of the sync history. */
export const RUN_HISTORY_PAGE = 25;

/**
 * The sync history, a page at a time (newest first): `fetchNextPage` asks for the runs queued before the last
 * one shown. Kept under the provider's run list key, so whatever refreshes that list refreshes every loaded page.
 */
export function useSyncRunHistory(key: ProviderKey) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.mdmRunList(key), 'history'],
    queryFn: ({ signal, pageParam }) =>
      api<SyncRunList>(providerPath(key, '/runs'), {
        signal,
        query: { limit: RUN_HISTORY_PAGE, before: pageParam },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextBefore,
    refetchInterval: (query) => (isOpenRun(query.state.data?.pages[0]?.runs[0]) ? 5 * RUN_POLL_MS : false),
  });
}

/** API calls per UTC day over the last `days` days; under the run list key, so a finished sync refreshes it. */
export function useSyncUsage(key: ProviderKey, days = 30) {
  return useQuery({
    queryKey: [...queryKeys.mdmRunList(key), 'usage', days],
    queryFn: ({ signal }) => api<SyncUsage>(providerPath(key, '/usage'), { signal, query: { days } }),
  });
}

/** One run, asked about every second while it is queued or running; stops once it has finished. */
export function useSyncRun(id: string | null) {
  return useQuery({
    queryKey: queryKeys.mdmRun(id ?? ''),
    queryFn: ({ signal }) => api<SyncRun>(`/mdm/runs/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: id !== null,
    refetchInterval: (query) => (isOpenRun(query.state.data) ? RUN_POLL_MS : false),
    refetchIntervalInBackground: false,
  });
}

/**
 * Sync now: the server queues a run (or answers with the one already queued or running) and returns it; the
 * caller watches it with `useSyncRun`.
 */
export function useSyncNow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: ProviderKey) => api<SyncRun>(providerPath(key, '/sync'), { method: 'POST' }),
    onSuccess: async (run) => {
      queryClient.setQueryData(queryKeys.mdmRun(run.id), run);
      await queryClient.invalidateQueries({ queryKey: queryKeys.mdmRunList(run.provider) });
    },
  });
}

/** A watched run has finished: the tile's last sync, the history and every device screen are out of date. */
export function useSyncFinished() {
  const queryClient = useQueryClient();
  return useCallback(
    async (run: SyncRun) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.mdmProviders }),
        queryClient.invalidateQueries({ queryKey: queryKeys.mdmRunList(run.provider) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.devices }),
      ]);
    },
    [queryClient],
  );
}

/** Org units the provider has already reported (from stored records; asks the provider nothing). */
export function useSeenOrgUnits(key: ProviderKey) {
  return useQuery({
    queryKey: [...queryKeys.mdmProviders, key, 'org-units'],
    queryFn: ({ signal }) =>
      api<{ orgUnits: string[] }>(`/mdm/providers/${encodeURIComponent(key)}/org-units`, { signal }),
    staleTime: 60_000,
  });
}
