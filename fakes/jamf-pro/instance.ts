/**
 * One Jamf Pro instance (one district's `https://district.jamfcloud.com`): its settings, API clients,
 * computers and mobile devices, and how many requests it is answering at once.
 */
import { ApiClients } from './auth.ts';
import { computersResource } from './computers.ts';
import { mobileDevicesResource } from './mobile-devices.ts';
import { DeviceStore } from './store.ts';
import {
  type FakeApiClient,
  type FakeComputer,
  type FakeInstanceOptions,
  type FakeInstanceSettings,
  type FakeMobileDevice,
  TOKEN_PATHS,
  type TokenPath,
} from './types.ts';

export const DEFAULT_CLIENT: FakeApiClient = {
  clientId: '3f6a1c2e-8b4d-4e7a-9c15-5d2e7b9a0c41',
  clientSecret: 'fake-jamf-pro-client-secret',
  privileges: ['Read Computers', 'Read Mobile Devices'],
  displayName: 'Satchel',
};

export const DEFAULT_SETTINGS: Required<FakeInstanceSettings> = {
  tokenPaths: [...TOKEN_PATHS],
  concurrencyLimit: 0,
  maxUrlLength: 8192,
  rsqlCaseSensitive: false,
  maxPageSize: 2000,
  tokenLifetimeSeconds: 1800,
};

export class JamfInstance {
  readonly name: string;
  readonly url: string;
  readonly settings: Required<FakeInstanceSettings>;
  readonly clients: ApiClients;
  readonly computers = new DeviceStore<FakeComputer>(computersResource.idOf, ['hardware', 'serialNumber']);
  readonly mobileDevices = new DeviceStore<FakeMobileDevice>(mobileDevicesResource.idOf, [
    'hardware',
    'serialNumber',
  ]);
  inFlight = 0;
  maxConcurrent = 0;

  constructor(name: string, url: string, options: FakeInstanceOptions, now: () => number) {
    this.name = name;
    this.url = url;
    this.settings = { ...DEFAULT_SETTINGS, ...definedSettings(options) };
    this.clients = new ApiClients(now, url, this.settings.tokenLifetimeSeconds);
    for (const client of options.clients?.length ? options.clients : [DEFAULT_CLIENT])
      this.clients.add(client);
    if (options.computers) this.computers.replace(options.computers);
    if (options.mobileDevices) this.mobileDevices.replace(options.mobileDevices);
  }

  configure(settings: FakeInstanceSettings): void {
    Object.assign(this.settings, definedSettings(settings));
    this.clients.defaultLifetimeSeconds = this.settings.tokenLifetimeSeconds;
  }

  answersTokenPath(path: TokenPath): boolean {
    return this.settings.tokenPaths.includes(path);
  }

  /** Counts a request in; returns false when it is beyond the concurrency limit. */
  enter(): boolean {
    this.inFlight++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.inFlight);
    return this.settings.concurrencyLimit <= 0 || this.inFlight <= this.settings.concurrencyLimit;
  }

  leave(): void {
    this.inFlight--;
  }

  resetConcurrency(): void {
    this.maxConcurrent = this.inFlight;
  }
}

/** The settings among `options` that are given (options also hold fleets and clients). */
export function definedSettings(options: FakeInstanceSettings): FakeInstanceSettings {
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof FakeInstanceSettings)[]) {
    if (options[key] !== undefined) given[key] = options[key];
  }
  return given as FakeInstanceSettings;
}
