/**
 * Jamf Pro keeps computers and mobile devices (iPads, iPhones, Apple TVs) in two inventories with their own
 * endpoints, field names and privileges; every pass asks both. Only the sections Satchel maps are asked for.
 */
export type DeviceKind = 'computer' | 'mobileDevice';

export interface InventoryEndpoint {
  kind: DeviceKind;
  path: string;
  sections: readonly string[];
  /** The RSQL field of the serial number. */
  serialField: string;
  /** Sorting by ID keeps pages from overlapping while a listing pages through. */
  sort: string;
  /** The API role privilege the endpoint needs, as Jamf Pro's console names it. */
  privilege: string;
  /** What the endpoint reads, in a sentence: "computers", "mobile devices". */
  label: string;
}

export const COMPUTERS: InventoryEndpoint = {
  kind: 'computer',
  path: '/api/v2/computers-inventory',
  sections: ['GENERAL', 'HARDWARE', 'OPERATING_SYSTEM', 'USER_AND_LOCATION', 'STORAGE'],
  serialField: 'hardware.serialNumber',
  sort: 'id:asc',
  privilege: 'Read Computers',
  label: 'computers',
};

export const MOBILE_DEVICES: InventoryEndpoint = {
  kind: 'mobileDevice',
  path: '/api/v2/mobile-devices/detail',
  sections: ['GENERAL', 'HARDWARE', 'USER_AND_LOCATION', 'SECURITY'],
  serialField: 'serialNumber',
  sort: 'mobileDeviceId:asc',
  privilege: 'Read Mobile Devices',
  label: 'mobile devices',
};

export const INVENTORIES: readonly InventoryEndpoint[] = [COMPUTERS, MOBILE_DEVICES];

export function inventoryOf(kind: DeviceKind): InventoryEndpoint {
  return kind === 'computer' ? COMPUTERS : MOBILE_DEVICES;
}

/** Jamf's largest page (the Jamf Pro SDK's figure; Jamf's reference gives none). */
export const MAX_PAGE_SIZE = 2000;

export interface InventoryQuery {
  page: number;
  pageSize: number;
  /** An RSQL filter, or null for every device. */
  filter: string | null;
}

/** `…/api/v2/computers-inventory?section=GENERAL&…&filter=…`, every value encoded. */
export function inventoryUrl(baseUrl: string, endpoint: InventoryEndpoint, query: InventoryQuery): string {
  const parameters = [
    ...endpoint.sections.map((section) => ['section', section]),
    ['page', String(query.page)],
    ['page-size', String(query.pageSize)],
    ['sort', endpoint.sort],
    ...(query.filter === null ? [] : [['filter', query.filter]]),
  ];
  const search = parameters
    .map(([name, value]) => `${name}=${encodeURIComponent(value as string)}`)
    .join('&');
  return `${baseUrl}${endpoint.path}?${search}`;
}
