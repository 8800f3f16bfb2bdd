import { useMutation, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CreateSchoolRequest, School, UpdateSchoolRequest } from '../../common/inventory.ts';
import { api } from './client.ts';
import { useInvalidateInventory } from './inventory.ts';
import { queryKeys } from './keys.ts';

export interface SchoolList {
  schools: School[];
}

export function useSchools() {
  return useQuery({
    queryKey: queryKeys.schools,
    queryFn: ({ signal }) => api<SchoolList>('/schools', { signal }),
  });
}

export function useCreateSchool() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (body: z.input<typeof CreateSchoolRequest>) =>
      api<School>('/schools', { method: 'POST', body }),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateSchool() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: z.input<typeof UpdateSchoolRequest> }) =>
      api<School>(`/schools/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes }),
    // A new name shows on devices and people too.
    onSuccess: () => invalidate(),
  });
}
