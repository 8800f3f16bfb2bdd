import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DistrictSettings, UpdateDistrictSettingsRequest } from '../../common/districts.ts';
import type { DistrictApiTokenList } from '../../common/tokens.ts';
import { api } from './client.ts';
import { queryKeys } from './keys.ts';

export function useDistrictSettings() {
  return useQuery({
    queryKey: queryKeys.districtSettings,
    queryFn: ({ signal }) => api<DistrictSettings>('/district/settings', { signal }),
  });
}

export function useUpdateDistrictSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateDistrictSettingsRequest) =>
      api<DistrictSettings>('/district/settings', { method: 'PATCH', body }),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.districtSettings, settings),
  });
}

/** Every live API token in the district, with its owner (administrators only). */
export function useDistrictTokens() {
  return useQuery({
    queryKey: queryKeys.districtTokens,
    queryFn: ({ signal }) => api<DistrictApiTokenList>('/api-tokens', { signal }),
  });
}

export function useRevokeDistrictToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api-tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.districtTokens });
      await queryClient.invalidateQueries({ queryKey: queryKeys.tokens });
    },
  });
}
