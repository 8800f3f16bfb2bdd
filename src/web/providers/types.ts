import type { ComponentType } from 'react';
import type { DeviceMdmRecord, ProviderKey, ProviderTile } from '../../common/mdm.ts';

/** One line of a device's provider data: "OS", "ChromeOS 128.0.6613.137", and an optional second line. */
export interface DeviceFact {
  label: string;
  value: string | null;
  detail?: string | null;
  /** Highlights a value that needs someone: `danger` (red: passed, broken) or `warning` (soon). */
  tone?: 'danger' | 'warning';
}

export interface SettingsFormProps {
  tile: ProviderTile;
  /** `activate`: POST …/activate with every setting; `edit`: PATCH …/settings. */
  mode: 'activate' | 'edit';
  onDone: () => void;
}

export interface CredentialsFormProps {
  tile: ProviderTile;
  /** Given where the form sits in a modal (a new credential); absent where it is the tile's next step. */
  onDone?: () => void;
}

/** How one of the provider's sync strategies reads, and how far through a run it is. */
export interface StrategyUi {
  label: string;
  /** Devices one page covers, and of which total (the tracked devices, or the provider's fleet). */
  pages?: { devices: number; of: 'tracked' | 'fleet' };
}

/**
 * What the web app knows of a provider beyond its tile: a folder per provider (`src/web/providers/<key>/`) and
 * one line in `index.ts`. Pages and shared components read providers only through this.
 */
export interface ProviderUi {
  /** The company name on buttons and consoles: "Authorize with Google", "Authorize with Microsoft". */
  brand: string;
  /** The setup guide (`docs/providers/<key>.md`), built into the app and shown from the tile. */
  guide: string;
  /** The short name in labels: "Last check-in (Intune)", "Not in Jamf Pro". */
  label: string;
  /**
   * How each of the provider's auth methods (`ProviderTile['authMethods']`) reads in the settings form, and,
   * where Satchel cannot take an authorization back itself, what the administrator does at the provider after
   * Disconnect.
   */
  authMethods: Record<string, { label: string; description: string; afterDisconnect?: string }>;
  SettingsForm: ComponentType<SettingsFormProps>;
  /** The form for credentials-kind auth methods, with its title ("Upload a service-account key"). */
  credentials?: { title: string; Form: ComponentType<CredentialsFormProps> };
  /** What the browser-kind auth method asks of the administrator: "Sign in with a Google admin account…". */
  browserPrompt?: string;
  /** One-line facts about the provider's own stored settings for the tile (the shared ones are shown for all). */
  summary(settings: Record<string, unknown>): { label: string; value: string }[];
  /** The link to the device in the provider's console: "Open in Google Admin". */
  consoleLabel: string;
  /** What the device screen lists from a provider record (its normalized fields and the provider's extras). */
  deviceFacts(record: DeviceMdmRecord): DeviceFact[];
  /** Statuses the provider reports, offered in the device list's status filter. */
  statusSuggestions: readonly string[];
  /** Provider statuses meaning the device can no longer be used (a warning on an in-service device). */
  unusableStatuses: readonly string[];
  strategies: Record<string, StrategyUi>;
}

export type ProviderUiRegistry = Record<ProviderKey, ProviderUi>;
