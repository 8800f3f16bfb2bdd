import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  BulkUpdateRequest,
  BulkUpdateResult,
  CreateDeviceRequest,
  DEVICE_SORTS,
  DeviceDetail,
  DeviceHistory,
  DeviceList,
  DeviceStatus,
  UpdateDeviceRequest,
} from '../../common/inventory.ts';
import { type DeviceMdmFilter, mdmFilterEntries } from '../lib/deviceMdm.ts';
import { api } from './client.ts';
import { useInvalidateInventory } from './inventory.ts';
import { queryKeys } from './keys.ts';

export type DeviceSort = (typeof DEVICE_SORTS)[number];

/** `GET /devices` parameters: the shared filter plus sorting and paging. */
export interface DeviceListQuery extends DeviceMdmFilter {
  status?: DeviceStatus[] | undefined;
  school?: string | undefined;
  model?: string | undefined;
  assigned?: 'true' | 'false' | undefined;
  q?: string | undefined;
  sort: DeviceSort;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}
export type BulkUpdate = z.input<typeof BulkUpdateRequest>;
export type BulkUpdateOutcome = z.infer<typeof BulkUpdateResult>;

/** The list query as request parameters (the status filter repeats). */
export function deviceQueryParams(query: DeviceListQuery) {
  return {
    ...deviceFilterParams(query),
    sort: query.sort,
    order: query.order,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** Only the filter, as the CSV export and bulk actions take it. */
export function deviceFilterParams(query: Omit<DeviceListQuery, 'sort' | 'order' | 'page' | 'pageSize'>) {
  const mdm: Record<string, string[]> = {};
  for (const [name, value] of mdmFilterEntries(query)) mdm[name] = [...(mdm[name] ?? []), value];
  return {
    status: query.status ?? [],
    school: query.school || undefined,
    model: query.model || undefined,
    assigned: query.assigned,
    q: query.q || undefined,
    ...mdm,
  };
}

export function useDevices(query: DeviceListQuery) {
  const params = deviceQueryParams(query);
  return useQuery({
    queryKey: queryKeys.deviceList(JSON.stringify(params)),
    queryFn: ({ signal }) => api<DeviceList>('/devices', { query: params, signal }),
    // Paging, sorting and filtering keep the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

/** The devices checked out to a person now, with their MDM summaries (a person has a handful at most). */
export function usePersonDevices(personId: string) {
  const params = { person: personId, pageSize: 100 };
  return useQuery({
    queryKey: queryKeys.deviceList(JSON.stringify(params)),
    queryFn: ({ signal }) => api<DeviceList>('/devices', { query: params, signal }),
  });
}

export function useDevice(id: string) {
  return useQuery({
    queryKey: queryKeys.device(id),
    queryFn: ({ signal }) => api<DeviceDetail>(`/devices/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useDeviceHistory(id: string) {
  return useQuery({
    queryKey: queryKeys.deviceHistory(id),
    queryFn: ({ signal }) => api<DeviceHistory>(`/devices/${encodeURIComponent(id)}/history`, { signal }),
  });
}

/** Puts a device the server just returned in the cache, then refreshes everything that shows devices. */
function useDeviceChanged() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateInventory();
  return async (device: DeviceDetail) => {
    queryClient.setQueryData(queryKeys.device(device.id), device);
    await invalidate();
  };
}

export function useCreateDevice() {
  const changed = useDeviceChanged();
  return useMutation({
    mutationFn: (body: CreateDeviceRequest) => api<DeviceDetail>('/devices', { method: 'POST', body }),
    onSuccess: changed,
  });
}

export function useUpdateDevice() {
  const changed = useDeviceChanged();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateDeviceRequest }) =>
      api<DeviceDetail>(`/devices/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes }),
    onSuccess: changed,
  });
}

export function useCheckOutDevice() {
  const changed = useDeviceChanged();
  return useMutation({
    mutationFn: ({ id, personId }: { id: string; personId: string }) =>
      api<DeviceDetail>(`/devices/${encodeURIComponent(id)}/checkout`, {
        method: 'POST',
        body: { personId },
      }),
    onSuccess: changed,
  });
}

export function useCheckInDevice() {
  const changed = useDeviceChanged();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string | null }) =>
      api<DeviceDetail>(`/devices/${encodeURIComponent(id)}/checkin`, { method: 'POST', body: { note } }),
    onSuccess: changed,
  });
}

export function useBulkUpdateDevices() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (body: BulkUpdate) =>
      api<BulkUpdateOutcome>('/devices/bulk-update', { method: 'POST', body }),
    onSuccess: () => invalidate(),
  });
}
