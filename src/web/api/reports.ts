import { useQuery } from '@tanstack/react-query';
import type { ProviderKey } from '../../common/mdm.ts';
import type { MdmReport } from '../../common/reports.ts';
import { api } from './client.ts';

/** Under the devices key, so anything that refreshes devices refreshes the report too. */
export const reportQueryKeys = {
  mdm: (provider: ProviderKey) => ['devices', 'reports', 'mdm', provider] as const,
};

export function useMdmReport(provider: ProviderKey = 'google') {
  return useQuery({
    queryKey: reportQueryKeys.mdm(provider),
    queryFn: ({ signal }) => api<MdmReport>('/reports/mdm', { query: { provider }, signal }),
  });
}
