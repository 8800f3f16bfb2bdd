import { Alert, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { PROVIDER_KEYS, type ProviderKey } from '../../../common/mdm.ts';
import {
  type AuthorizationFailure,
  authorizationFailureMessage,
  isAuthorizationFailure,
} from '../../../common/mdm-authorization.ts';
import { useMdmProviders } from '../../api/mdm.ts';
import { DocumentTitle } from '../../components/DocumentTitle.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { ProviderCard } from '../../components/mdm/ProviderCard.tsx';
import { useCurrentSession } from '../../components/SessionContext.tsx';

/** Query parameters the server's OAuth callback adds when it sends the browser back here. */
const CALLBACK_PARAMS = ['provider', 'authorized', 'error'] as const;

/** `failure` is a code from a fixed list: anyone can write the address, so its text is never shown. */
type CallbackOutcome =
  | { provider: ProviderKey; authorized: true }
  | { provider: ProviderKey; failure: AuthorizationFailure };

function asProviderKey(value: string | null): ProviderKey | undefined {
  return PROVIDER_KEYS.find((key) => key === value);
}

function readOutcome(params: URLSearchParams): CallbackOutcome | null {
  const provider = asProviderKey(params.get('provider'));
  if (!provider) return null;
  const error = params.get('error');
  if (error) return { provider, failure: isAuthorizationFailure(error) ? error : 'failed' };
  if (params.get('authorized') === '1') return { provider, authorized: true };
  return null;
}

/**
 * Reads how an authorization that left for the provider's consent screen ended, then takes the callback's
 * parameters out of the address so a reload or bookmark does not report it again.
 */
function useAuthorizationOutcome(): [CallbackOutcome | null, () => void] {
  const [params, setParams] = useSearchParams();
  const [outcome, setOutcome] = useState<CallbackOutcome | null>(null);
  const hasCallbackParams = CALLBACK_PARAMS.some((name) => params.has(name));

  useEffect(() => {
    if (!hasCallbackParams) return;
    const found = readOutcome(params);
    if (found) setOutcome(found);
    const next = new URLSearchParams(params);
    for (const name of CALLBACK_PARAMS) next.delete(name);
    setParams(next, { replace: true });
  }, [hasCallbackParams, params, setParams]);

  const clear = useCallback(() => setOutcome(null), []);
  return [outcome, clear];
}

/** System Settings › MDM Settings: one tile per MDM provider Satchel can sync device data from. */
export function MdmSettings() {
  const session = useCurrentSession();
  const providers = useMdmProviders();
  const [outcome, clearOutcome] = useAuthorizationOutcome();

  const outcomeTile = outcome
    ? providers.data?.providers.find((tile) => tile.key === outcome.provider)
    : null;
  const outcomeName = outcomeTile?.name ?? outcome?.provider ?? '';

  // Success is a notification, shown once the tile (and so the authorizing account) has loaded.
  useEffect(() => {
    if (!outcome || !('authorized' in outcome) || providers.isPending) return;
    const account = outcomeTile?.authorizedAccount;
    notifications.show({
      id: `mdm-authorized-${outcome.provider}`,
      color: 'green',
      title: 'Authorization complete',
      message: `${outcomeName} is active${account ? `, authorized by ${account}` : ''}.`,
    });
    clearOutcome();
  }, [outcome, outcomeTile, outcomeName, providers.isPending, clearOutcome]);

  // A failed authorization stays on screen until dismissed, or until the provider's state moves on.
  const failedAt = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (!outcome || !('failure' in outcome) || !outcomeTile) {
      failedAt.current = undefined;
      return;
    }
    if (failedAt.current === undefined) failedAt.current = outcomeTile.statusChangedAt;
    else if (outcomeTile.statusChangedAt !== failedAt.current) clearOutcome();
  }, [outcome, outcomeTile, clearOutcome]);

  let body: ReactNode;
  if (providers.isPending) {
    body = <Loader aria-label="Loading MDM providers" />;
  } else if (providers.isError) {
    body = (
      <LoadError
        title="Could not load the MDM providers"
        error={providers.error}
        onRetry={() => providers.refetch()}
        retrying={providers.isFetching}
      />
    );
  } else {
    body = (
      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="lg">
        {providers.data.providers.map((tile) => (
          <ProviderCard key={tile.key} tile={tile} />
        ))}
      </SimpleGrid>
    );
  }

  return (
    <Stack gap="md">
      <DocumentTitle title="MDM Settings" />
      <Stack gap={4}>
        <Title order={2} size="h3">
          MDM Settings
        </Title>
        <Text c="dimmed" size="sm">
          Connect Satchel to the systems that manage {session.district.name}'s devices. Satchel only reads
          from them; it never changes anything there.
        </Text>
      </Stack>
      <Alert color="yellow" title="Enabling a provider changes Satchel for everyone" role="note">
        Device detail screens gain the provider's data, and new fields appear across Satchel — in device
        lists, filters and exports — each labelled with the provider it came from and the time it was true
        ("as of").
      </Alert>
      {outcome && 'failure' in outcome && (
        <Alert
          color="red"
          title={`Authorizing ${outcomeName} did not complete`}
          role="alert"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={clearOutcome}
        >
          {authorizationFailureMessage(outcome.failure, outcomeName)}
        </Alert>
      )}
      {body}
    </Stack>
  );
}
