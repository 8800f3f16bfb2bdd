import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from './keys.ts';

/**
 * Devices, people and schools show each other's data (assignees, device counts, school names), so a change to
 * one refreshes all three.
 */
export function invalidateInventory(queryClient: QueryClient): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.devices }),
    queryClient.invalidateQueries({ queryKey: queryKeys.people }),
    queryClient.invalidateQueries({ queryKey: queryKeys.schools }),
  ]).then(() => undefined);
}

export function useInvalidateInventory(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => invalidateInventory(queryClient);
}
