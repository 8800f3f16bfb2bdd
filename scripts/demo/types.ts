/** What the demo district holds, for the fakes to know part of it. */
export interface DemoInventory {
  /** Serial keys by kind of device, as the inventory has them. */
  chromebooks: string[];
  windowsLaptops: string[];
  macs: string[];
  ipads: string[];
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
