import { Card, Stack, Text, Title } from '@mantine/core';
import type { ComponentType } from 'react';
import type { DeviceDetail } from '../../../common/inventory.ts';

export interface MdmPanelProps {
  device: DeviceDetail;
}

/**
 * One panel per MDM provider (Google Admin, Jamf, Intune…). A provider adds its panel here; each panel decides
 * for itself whether it has anything to show for the device.
 */
const PROVIDER_PANELS: readonly ComponentType<MdmPanelProps>[] = [];

/** The "MDM data" section of a device: what the district's MDM knows about it, once a provider is enabled. */
export function DeviceMdmPanels({ device }: MdmPanelProps) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="mdm-data-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="mdm-data-title">
          MDM data
        </Title>
        {PROVIDER_PANELS.length === 0 ? (
          <Text c="dimmed" size="sm">
            Data from your district's MDM will appear here once an administrator enables a provider in System
            Settings.
          </Text>
        ) : (
          PROVIDER_PANELS.map((Panel, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the list of providers is fixed at build time
            <Panel key={index} device={device} />
          ))
        )}
      </Stack>
    </Card>
  );
}
