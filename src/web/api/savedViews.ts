import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateSavedViewRequest,
  SavedView,
  SavedViewList,
  SavedViewListResponse,
  UpdateSavedViewRequest,
} from '../../common/savedViews.ts';
import { api } from './client.ts';
import { queryKeys } from './keys.ts';

export function useSavedViews(list: SavedViewList) {
  return useQuery({
    queryKey: queryKeys.savedViews(list),
    queryFn: ({ signal }) => api<SavedViewListResponse>('/saved-views', { query: { list }, signal }),
  });
}

/** Create, update and delete, each refreshing the list of views. */
export function useSavedViewChanges(list: SavedViewList) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.savedViews(list) });
  const create = useMutation({
    mutationFn: (body: Omit<CreateSavedViewRequest, 'list'>) =>
      api<SavedView>('/saved-views', { method: 'POST', body: { ...body, list } }),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateSavedViewRequest }) =>
      api<SavedView>(`/saved-views/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/saved-views/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return { create, update, remove };
}
