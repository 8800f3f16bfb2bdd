import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditEventList } from '../../common/audit.ts';
import { api } from './client.ts';
import { queryKeys } from './keys.ts';

export const AUDIT_PAGE_SIZE = 50;

export function useAuditEvents() {
  return useInfiniteQuery({
    queryKey: queryKeys.audit,
    queryFn: ({ pageParam, signal }) =>
      api<AuditEventList>('/audit-events', {
        query: { limit: AUDIT_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}
