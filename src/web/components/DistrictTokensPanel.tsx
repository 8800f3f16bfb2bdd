import { Alert, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { DistrictApiToken } from '../../common/tokens.ts';
import { useDistrictTokens, useRevokeDistrictToken } from '../api/district.ts';
import { describeError, notifyError, notifySuccess } from '../lib/errors.ts';
import { ConfirmModal } from './ConfirmModal.tsx';
import { TokenTable } from './TokenTable.tsx';

/** For administrators: every live token in the district, whose it is, and a way to revoke any of them. */
export function DistrictTokensPanel() {
  const tokens = useDistrictTokens();
  const revoke = useRevokeDistrictToken();
  // The Users page links here with `?owner=` to show one user's tokens.
  const [searchParams, setSearchParams] = useSearchParams();
  const owner = searchParams.get('owner');
  const setOwner = (value: string | null) =>
    setSearchParams(
      (params) => {
        if (value) params.set('owner', value);
        else params.delete('owner');
        return params;
      },
      { replace: true },
    );
  const [revoking, setRevoking] = useState<DistrictApiToken | null>(null);

  const confirmRevoke = () => {
    if (!revoking) return;
    const token = revoking;
    revoke.mutate(token.id, {
      onSuccess: () => {
        setRevoking(null);
        notifySuccess(`${token.owner.name}'s token “${token.name}” was revoked.`, 'Token revoked');
      },
      onError: (error) => notifyError(error, 'Could not revoke the token'),
    });
  };

  let body: ReactNode;
  if (tokens.isPending) body = <Loader aria-label="Loading the district's API tokens" />;
  else if (tokens.isError)
    body = (
      <Alert color="red" title="Could not load the district's API tokens" role="alert">
        {describeError(tokens.error)}
      </Alert>
    );
  else {
    const owners = [...new Map(tokens.data.tokens.map((token) => [token.owner.id, token.owner])).values()];
    const shown = tokens.data.tokens.filter((token) => !owner || token.owner.id === owner);
    body = (
      <Stack>
        <Select
          label="Owner"
          placeholder="Everyone"
          clearable
          maw={320}
          data={owners.map((user) => ({ value: user.id, label: `${user.name} (${user.email})` }))}
          value={owner}
          onChange={setOwner}
        />
        {shown.length === 0 ? (
          <Text c="dimmed">
            {owner ? 'No live API tokens for this user.' : 'Nobody in the district has a live API token.'}
          </Text>
        ) : (
          <TokenTable tokens={shown} ownerOf={(token) => token.owner.name} onRevoke={setRevoking} />
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={2} size="h3">
          Everyone's API tokens
        </Title>
        <Text c="dimmed" size="sm">
          Every live token in the district. Revoke one that should no longer work, for example when someone
          leaves.
        </Text>
      </Stack>
      {body}
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke API token"
        confirmLabel="Revoke token"
        danger
        loading={revoke.isPending}
        onConfirm={confirmRevoke}
        onClose={() => setRevoking(null)}
      >
        {`Revoke ${revoking?.owner.name ?? ''}'s token “${revoking?.name ?? ''}”? Anything using it stops working immediately.`}
      </ConfirmModal>
    </Stack>
  );
}
