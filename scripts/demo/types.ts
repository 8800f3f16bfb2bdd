/** What the demo district holds, for the fakes to know part of it. */
export interface DemoInventory {
  /** Serial keys by kind of device, as the inventory has them. */
  chromebooks: string[];
  windowsLaptops: string[];
  macs: string[];
  ipads: string[];
  /** What the inventory says of each device, by serial key, for an MDM's record to agree with. */
  facts: Record<string, DeviceFacts>;
}

export interface DeviceFacts {
  model: string | null;
  /** The email of the person the device is checked out to. */
  user: string | null;
}

/**
 * Every `every`-th device the MDM knows disagrees with the inventory on purpose (a model typed differently, a
 * device another student signs in to), so Reports and the device pages show a few conflicts, not hundreds.
 */
export function deliberateConflict(index: number, every: number, offset = 0): boolean {
  return index % every === offset;
}

/** One provider's fake, started for the demo: the configuration that points Satchel at it, and what to do. */
export interface DemoFake {
  environment: Record<string, string>;
  /** Lines telling the person at the demo how to connect the provider. */
  instructions: string[];
  close(): Promise<unknown>;
}

/** Most of each kind: an MDM rarely knows every device the district owns, and the rest shows as not found. */
export function mostOf(serials: readonly string[]): string[] {
  return serials.filter((_, index) => index % 10 !== 0);
}
