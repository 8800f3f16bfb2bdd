/**
 * Where the inventory and an MDM disagree about a device: its model, its asset tag, or who uses it. Values are
 * normalized before they are compared, so spelling differences that say the same thing are not conflicts:
 * case, spaces and punctuation never count; one model name containing the other ("Chromebook 3110" and
 * "Dell Chromebook 3110") agrees; a user name without a domain is compared with the holder's email name and
 * external id. The device list's filter does the same in SQL (src/server/inventory/device-conflicts.ts).
 */
export const CONFLICT_KINDS = ['model', 'assetTag', 'user'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export const CONFLICT_LABELS: Record<ConflictKind, string> = {
  model: 'Model',
  assetTag: 'Asset tag',
  user: 'User',
};

/** Lower-case letters and digits only. */
export function comparable(value: string | null | undefined): string {
  return (value ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function modelsDisagree(inventory: string | null, mdm: string | null): boolean {
  const a = comparable(inventory);
  const b = comparable(mdm);
  return a !== '' && b !== '' && !a.includes(b) && !b.includes(a);
}

export function assetTagsDisagree(inventory: string | null, mdm: string | null): boolean {
  const a = comparable(inventory);
  const b = comparable(mdm);
  return a !== '' && b !== '' && a !== b;
}

/** The MDM's user is not the person the device is checked out to (false when there is nothing to compare). */
export function userDisagrees(
  mdmUser: string | null,
  holder: { email: string | null; externalId: string | null } | null,
): boolean {
  const user = mdmUser?.trim().toLowerCase();
  if (!user || !holder) return false;
  const email = holder.email?.trim().toLowerCase() || null;
  const names = user.includes('@')
    ? [email]
    : [email?.split('@')[0] ?? null, holder.externalId?.trim().toLowerCase() || null];
  const known = names.filter((name): name is string => Boolean(name));
  return known.length > 0 && !known.includes(user);
}

export interface DeviceConflict {
  kind: ConflictKind;
  inventory: string;
  mdm: string;
}

/** Every disagreement between the device and one provider's record. */
export function conflictsOf(
  device: { model: string | null; assetTag: string | null },
  holder: { name?: string; email: string | null; externalId: string | null } | null,
  mdm: { model: string | null; assetTag: string | null; user: string | null },
): DeviceConflict[] {
  const conflicts: DeviceConflict[] = [];
  if (modelsDisagree(device.model, mdm.model))
    conflicts.push({ kind: 'model', inventory: device.model ?? '', mdm: mdm.model ?? '' });
  if (assetTagsDisagree(device.assetTag, mdm.assetTag))
    conflicts.push({ kind: 'assetTag', inventory: device.assetTag ?? '', mdm: mdm.assetTag ?? '' });
  if (userDisagrees(mdm.user, holder))
    conflicts.push({
      kind: 'user',
      inventory: holder?.email ?? holder?.externalId ?? holder?.name ?? '',
      mdm: mdm.user ?? '',
    });
  return conflicts;
}
