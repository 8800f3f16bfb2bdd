import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProviderKey, ProviderTile } from '../../common/mdm.ts';
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
function useTileWrite<Variables>(write: (variables: Variables) => Promise<ProviderTile>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async (tile) => {
      queryClient.setQueryData<ProviderList>(queryKeys.mdmProviders, (list) =>
        list
          ? { providers: list.providers.map((existing) => (existing.key === tile.key ? tile : existing)) }
          : list,
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.mdmProviders }),
        queryClient.invalidateQueries({ queryKey: queryKeys.devices }),
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

export function useUploadProviderCredentials() {
  return useTileWrite(
    ({
      key,
      serviceAccountKey,
      impersonatedAdmin,
    }: {
      key: ProviderKey;
      serviceAccountKey: string;
      impersonatedAdmin: string;
    }) =>
      api<ProviderTile>(providerPath(key, '/credentials'), {
        method: 'POST',
        body: { serviceAccountKey, impersonatedAdmin },
      }),
  );
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
