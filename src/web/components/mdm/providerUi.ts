import type { ComponentType } from 'react';
import type { ProviderKey, ProviderTile } from '../../../common/mdm.ts';

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
}

export type ProviderUiRegistry = Record<ProviderKey, ProviderUi>;
