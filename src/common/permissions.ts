/** The single map of roles to permissions; the server enforces it and the web app reads it to shape navigation. */
export const PERMISSIONS = [
  'inventory.read',
  'inventory.write',
  'mdm.read',
  'device.actions',
  'system.settings',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['district_admin', 'technician', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  district_admin: PERMISSIONS,
  technician: ['inventory.read', 'inventory.write', 'mdm.read', 'device.actions'],
  viewer: ['inventory.read', 'mdm.read'],
};

export const ROLE_LABELS: Record<Role, string> = {
  district_admin: 'District administrator',
  technician: 'Technician',
  viewer: 'Viewer',
};

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
