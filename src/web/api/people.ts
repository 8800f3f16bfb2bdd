import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CreatePersonRequest,
  Person,
  PersonDetail,
  PersonList,
  UpdatePersonRequest,
} from '../../common/inventory.ts';
import { api } from './client.ts';
import { useInvalidateInventory } from './inventory.ts';
import { queryKeys } from './keys.ts';

export interface PeopleQuery {
  q?: string | undefined;
  kind?: 'student' | 'staff' | undefined;
  school?: string | undefined;
  active?: 'true' | 'false' | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export type CreatePerson = z.input<typeof CreatePersonRequest>;
export type UpdatePerson = z.input<typeof UpdatePersonRequest>;

/** One device a person has had, as `GET /people/:id` lists it. */
export type PersonAssignment = PersonDetail['assignments'][number];

function peopleParams(query: PeopleQuery) {
  return {
    q: query.q || undefined,
    kind: query.kind,
    school: query.school,
    active: query.active,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export function usePeople(query: PeopleQuery, options: { enabled?: boolean } = {}) {
  const params = peopleParams(query);
  return useQuery({
    queryKey: queryKeys.peopleList(JSON.stringify(params)),
    queryFn: ({ signal }) => api<PersonList>('/people', { query: params, signal }),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function usePerson(id: string) {
  return useQuery({
    queryKey: queryKeys.person(id),
    queryFn: ({ signal }) => api<PersonDetail>(`/people/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useCreatePerson() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (body: CreatePerson) => api<Person>('/people', { method: 'POST', body }),
    onSuccess: () => invalidate(),
  });
}

export function useUpdatePerson() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdatePerson }) =>
      api<Person>(`/people/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes }),
    onSuccess: async (person) => {
      queryClient.setQueryData<PersonDetail>(queryKeys.person(person.id), (detail) =>
        detail ? { ...detail, ...person } : detail,
      );
      await invalidate();
    },
  });
}
