import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DistrictSettings, UpdateDistrictSettings } from '../../common/districts.ts';
import { api } from './client.ts';

const KEY = ['district'] as const;

export function useDistrictSettings() {
  return useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => api<DistrictSettings>('/district', { signal }),
  });
}

export function useUpdateDistrictSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateDistrictSettings) =>
      api<DistrictSettings>('/district', { method: 'PATCH', body }),
    onSuccess: (settings) => queryClient.setQueryData(KEY, settings),
  });
}
