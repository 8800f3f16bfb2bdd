import { useQuery } from '@tanstack/react-query';
import type { Overview } from '../../common/overview.ts';
import { api } from './client.ts';

/** Under the devices key, so anything that refreshes devices refreshes the overview too. */
export const overviewQueryKey = ['devices', 'overview'] as const;

export function useOverview() {
  return useQuery({
    queryKey: overviewQueryKey,
    queryFn: ({ signal }) => api<Overview>('/overview', { signal }),
  });
}
