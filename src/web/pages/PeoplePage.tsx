import { EmptyState } from '@mantine/core';
import { Page } from '../components/Page.tsx';

export function PeoplePage() {
  return (
    <Page title="People">
      <EmptyState>
        <EmptyState.Title order={2}>No people yet</EmptyState.Title>
        <EmptyState.Description>
          Students and staff will appear here once your district's rosters are connected.
        </EmptyState.Description>
      </EmptyState>
    </Page>
  );
}
