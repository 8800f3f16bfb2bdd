import { useQuery } from '@tanstack/react-query';
import type { ProviderKey } from '../../common/mdm.ts';
import type { MdmReport } from '../../common/reports.ts';
import { api } from './client.ts';

/** Under the devices key, so anything that refreshes devices refreshes the report too. */
export const reportQueryKeys = {
  mdm: (provider: ProviderKey | null) => ['devices', 'reports', 'mdm', provider] as const,
};

/** The report for a provider, or (null) for the one the server picks: the district's first with data. */
export function useMdmReport(provider: ProviderKey | null) {
  return useQuery({
    queryKey: reportQueryKeys.mdm(provider),
    queryFn: ({ signal }) => api<MdmReport>('/reports/mdm', { query: provider ? { provider } : {}, signal }),
  });
}
