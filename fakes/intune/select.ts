/**
 * `$select`: v1.0 property names only, matched case-insensitively as Graph does; an unknown one (a beta
 * property such as `managementState`) fails the request with Graph's OData parser message.
 */
import { propertyNamed } from './fields.ts';
import type { FakeManagedDevice } from './types.ts';

export type Selection = { properties: (keyof FakeManagedDevice)[] | undefined } | { error: string };

export function parseSelect(text: string | null): Selection {
  if (text === null || text.trim() === '') return { properties: undefined };
  const properties: (keyof FakeManagedDevice)[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (name === '*') return { properties: undefined };
    const property = propertyNamed(name);
    if (!property)
      return {
        error: `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.managedDevice'.`,
      };
    if (!properties.includes(property)) properties.push(property);
  }
  return { properties: properties.length ? properties : undefined };
}

/** The device as sent: every property, or the selected ones in the order they were asked for. */
export function project(
  device: FakeManagedDevice,
  properties: readonly (keyof FakeManagedDevice)[] | undefined,
): Record<string, unknown> {
  if (!properties) return device as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const property of properties) out[property] = device[property];
  return out;
}

/** `(id,deviceName)` for `@odata.context`, empty without a selection. */
export function contextSuffix(properties: readonly string[] | undefined): string {
  return properties ? `(${properties.join(',')})` : '';
}
