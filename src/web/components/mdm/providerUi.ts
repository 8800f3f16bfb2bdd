import type { ComponentType } from 'react';
import type { DeviceMdmRecord, ProviderKey, ProviderTile } from '../../../common/mdm.ts';

/** One line of a device's provider data: "OS", "ChromeOS 128.0.6613.137", and an optional second line. */
export interface DeviceFact {
  label: string;
  value: string | null;
  detail?: string | null;
}

export interface SettingsFormProps {
  tile: ProviderTile;
  /** `activate`: POST …/activate with every setting; `edit`: PATCH …/settings. */
  mode: 'activate' | 'edit';
  onDone: () => void;
}

/** What the MDM Settings page needs to know about a provider beyond its tile. */
export interface ProviderUi {
  /** The company name on buttons: "Authorize with Google". */
  brand: string;
  SettingsForm: ComponentType<SettingsFormProps>;
  /** One-line facts about the stored settings for the tile, e.g. the sync interval. */
  summary(settings: Record<string, unknown>): { label: string; value: string }[];
  /** The link to the device in the provider's console: "Open in Google Admin". */
  consoleLabel: string;
  /** What the device screen lists from a provider record (its normalized fields and the provider's extras). */
  deviceFacts(record: DeviceMdmRecord): DeviceFact[];
}

export type ProviderUiRegistry = Record<ProviderKey, ProviderUi>;
