import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '../../common/auth.ts';
import type { CreateUserRequest, UpdateUserRequest, UserList } from '../../common/users.ts';
import { api } from './client.ts';
import { queryKeys } from './keys.ts';

export function useUsers() {
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: ({ signal }) => api<UserList>('/users', { signal }),
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserRequest) => api<User>('/users', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateUserRequest }) =>
      api<User>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes }),
    onSuccess: async (user) => {
      queryClient.setQueryData<UserList>(queryKeys.users, (list) =>
        list ? { users: list.users.map((existing) => (existing.id === user.id ? user : existing)) } : list,
      );
      await queryClient.invalidateQueries({ queryKey: queryKeys.users });
      // A change to the signed-in user (e.g. their role) changes their permissions too.
      await queryClient.invalidateQueries({ queryKey: queryKeys.session });
    },
  });
}
