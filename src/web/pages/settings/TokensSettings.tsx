import { Stack } from '@mantine/core';
import { ApiTokensPanel } from '../../components/ApiTokensPanel.tsx';
import { DocumentTitle } from '../../components/DocumentTitle.tsx';

export function TokensSettings() {
  return (
    <Stack>
      <DocumentTitle title="API tokens" />
      <ApiTokensPanel />
    </Stack>
  );
}
