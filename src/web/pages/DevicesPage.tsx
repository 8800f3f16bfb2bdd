import { EmptyState } from '@mantine/core';
import { Page } from '../components/Page.tsx';

export function DevicesPage() {
  return (
    <Page title="Devices">
      <EmptyState>
        <EmptyState.Title order={2}>No devices yet</EmptyState.Title>
        <EmptyState.Description>
          Devices will appear here once your district's inventory is connected.
        </EmptyState.Description>
      </EmptyState>
    </Page>
  );
}
