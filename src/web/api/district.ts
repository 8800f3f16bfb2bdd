import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DistrictProfile,
  DistrictSettings,
  UpdateDistrictProfile,
  UpdateDistrictSettingsRequest,
} from '../../common/districts.ts';
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

const PROFILE_KEY = ['district', 'profile'] as const;

/** The district's name and time zone, which everyone in it may read. */
export function useDistrictProfile() {
  return useQuery({
    queryKey: PROFILE_KEY,
    queryFn: ({ signal }) => api<DistrictProfile>('/district', { signal }),
  });
}

export function useUpdateDistrictProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateDistrictProfile) => api<DistrictProfile>('/district', { method: 'PATCH', body }),
    onSuccess: (profile) => queryClient.setQueryData(PROFILE_KEY, profile),
  });
}
