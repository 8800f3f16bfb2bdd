/**
 * How current a provider's kept data is, from its connection's state: `current` while it syncs; `failing` when
 * its last run failed; `disconnected` when it lost (or never got) its authorization; `inactive` when it was
 * deactivated or has no connection. Everything but `current` is data kept from the last sync that worked, and
 * every screen, export and report that shows it says so, with its "as of" time.
 */
export const MDM_SOURCE_CONDITIONS = ['current', 'failing', 'disconnected', 'inactive'] as const;
export type MdmSourceCondition = (typeof MDM_SOURCE_CONDITIONS)[number];

export function sourceConditionOf(connectionState: string | null | undefined): MdmSourceCondition {
  switch (connectionState) {
    case 'active':
      return 'current';
    case 'error':
      return 'failing';
    case 'needs_authorization':
    case 'needs_reauthorization':
      return 'disconnected';
    default:
      return 'inactive';
  }
}

/** "inactive provider", as a label next to the data: what the data is kept from. */
export const SOURCE_CONDITION_LABELS: Record<Exclude<MdmSourceCondition, 'current'>, string> = {
  failing: 'sync failing',
  disconnected: 'provider disconnected',
  inactive: 'provider inactive',
};
