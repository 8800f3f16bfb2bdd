/**
 * Every MDM provider Satchel knows, by key. A module of its own (it imports nothing), so that every schema can
 * name the providers; adding a provider adds its key here, its folder and one line in each registry.
 */
export const PROVIDER_KEYS = ['google', 'intune', 'jamf_pro', 'jamf_school'] as const;
export type ProviderKey = (typeof PROVIDER_KEYS)[number];
