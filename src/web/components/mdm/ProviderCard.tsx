import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  DataList,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { type ReactNode, useEffect, useId, useState } from 'react';
import type { ProviderTile } from '../../../common/mdm.ts';
import {
  useDeactivateProvider,
  useDisconnectProvider,
  useRemoveSyncedData,
  useStartAuthorization,
} from '../../api/mdm.ts';
import { notifyError, notifySuccess } from '../../lib/errors.ts';
import { formatDateTime, formatRelative, plural } from '../../lib/format.ts';
import { commonSummary, storedAuthMethod, TILE_STATUS, tileStatus } from '../../lib/mdm.ts';
import { PROVIDER_UI } from '../../providers/index.ts';
import { ConfirmModal } from '../ConfirmModal.tsx';
import { SetupGuideModal } from './SetupGuide.tsx';
import { SyncHistoryModal } from './SyncHistory.tsx';
import { LastSyncValue, SyncProgressPanel } from './SyncStatus.tsx';
import { useTileSync } from './useTileSync.ts';

type Confirmation = 'deactivate' | 'disconnect' | 'remove';

/** A title carried on inside a sentence: "Upload a key" → "upload a key", names and "API" kept as written. */
function sentenceInside(title: string): string {
  return title.charAt(0).toLowerCase() + title.slice(1);
}

function StatusBadge({ tile, syncing }: { tile: ProviderTile; syncing: boolean }) {
  const status = TILE_STATUS[tileStatus(tile, syncing)];
  return (
    <Badge color={status.color} variant="light" size="lg" style={{ flexShrink: 0 }}>
      {status.label}
    </Badge>
  );
}

function StatusReason({ tile }: { tile: ProviderTile }) {
  if (!tile.statusReason) return null;
  const since = tile.statusChangedAt ? ` (${formatDateTime(tile.statusChangedAt)})` : '';
  switch (tile.state) {
    case 'needs_reauthorization':
      return (
        <Alert color="orange" title="Authorize again to resume syncing" role="status">
          {tile.statusReason}
          {since}
        </Alert>
      );
    case 'error':
      return (
        <Alert color="red" title="Syncing stopped" role="status">
          {tile.statusReason}
          {since}
        </Alert>
      );
    case 'needs_authorization':
      return (
        <Text size="sm" c="yellow.9">
          {tile.statusReason}
          {since}
        </Text>
      );
    default:
      return (
        <Text size="sm" c="dimmed">
          {tile.statusReason}
          {since}
        </Text>
      );
  }
}

/** One MDM provider in System Settings › MDM Settings: its state, and what an administrator can do next. */
export function ProviderCard({ tile }: { tile: ProviderTile }) {
  const titleId = useId();
  const ui = PROVIDER_UI[tile.key];
  const method = storedAuthMethod(tile) ?? tile.authMethods[0]?.key ?? '';
  const byCredentials = tile.authMethods.find((offered) => offered.key === method)?.kind === 'credentials';
  const CredentialsForm = ui.credentials?.Form;

  const startAuthorization = useStartAuthorization();
  const deactivate = useDeactivateProvider();
  const disconnect = useDisconnectProvider();
  const removeData = useRemoveSyncedData();
  const sync = useTileSync(tile);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [guideOpen, setGuideOpen] = useState(false);

  const [settingsMode, setSettingsMode] = useState<'activate' | 'edit' | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [keyFormOpen, setKeyFormOpen] = useState(false);
  // Kept after closing so the modal's text does not change while it animates out.
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [redirecting, setRedirecting] = useState(false);
  const [removed, setRemoved] = useState<number | null>(null);

  // Back from the provider's consent screen, the browser may restore this page as it was when it left.
  useEffect(() => {
    const restored = (event: PageTransitionEvent) => {
      if (event.persisted) setRedirecting(false);
    };
    window.addEventListener('pageshow', restored);
    return () => window.removeEventListener('pageshow', restored);
  }, []);

  const openSettings = (mode: 'activate' | 'edit') => {
    setSettingsMode(mode);
    setSettingsOpen(true);
  };
  const ask = (kind: Confirmation) => {
    setConfirmation(kind);
    setConfirmOpen(true);
  };

  const authorize = () => {
    startAuthorization.mutate(tile.key, {
      onSuccess: ({ authorizationUrl }) => {
        if (!/^https?:\/\//i.test(authorizationUrl)) {
          notifyError(
            new Error('The server answered with an unusable address'),
            'Could not start authorizing',
          );
          return;
        }
        // The provider sends the browser back to /settings/mdm, which reports how it went.
        setRedirecting(true);
        window.location.assign(authorizationUrl);
      },
      onError: (error) => notifyError(error, 'Could not start authorizing'),
    });
  };
  const reauthorize = () => {
    if (byCredentials) setKeyFormOpen(true);
    else authorize();
  };

  const confirm = () => {
    if (confirmation === 'deactivate') {
      deactivate.mutate(tile.key, {
        onSuccess: (updated) => {
          setConfirmOpen(false);
          notifySuccess(`Satchel no longer syncs with ${updated.name}.`, `${updated.name} deactivated`);
        },
        onError: (error) => notifyError(error, 'Could not deactivate'),
      });
    } else if (confirmation === 'disconnect') {
      disconnect.mutate(tile.key, {
        onSuccess: (updated) => {
          setConfirmOpen(false);
          const afterDisconnect = ui.authMethods[method]?.afterDisconnect;
          notifySuccess(
            afterDisconnect
              ? `Satchel deleted what it stored. ${afterDisconnect}`
              : byCredentials
                ? `Satchel deleted the stored credentials. Delete or rotate them in ${ui.brand}'s console too.`
                : `Satchel asked ${ui.brand} to revoke its authorization and deleted it.`,
            `${updated.name} disconnected`,
          );
        },
        onError: (error) => notifyError(error, 'Could not disconnect'),
      });
    } else if (confirmation === 'remove') {
      removeData.mutate(tile.key, {
        onSuccess: ({ removed: count }) => {
          setConfirmOpen(false);
          setRemoved(count);
          notifySuccess(
            `Removed ${plural(count, 'synced device record')} from ${tile.name}.`,
            'Synced data removed',
          );
        },
        onError: (error) => notifyError(error, 'Could not remove the synced data'),
      });
    }
  };

  const configured = tile.settings !== null;
  const authorizeLabel = `Authorize with ${ui.brand}`;

  const settingsButton = (
    <Button variant="default" onClick={() => openSettings('edit')}>
      Settings
    </Button>
  );
  const deactivateButton = (
    <Button variant="default" onClick={() => ask('deactivate')}>
      Deactivate
    </Button>
  );
  const disconnectButton = (
    <Button variant="light" color="red" onClick={() => ask('disconnect')}>
      Disconnect
    </Button>
  );
  const removeButton = (
    <Button variant="subtle" color="red" onClick={() => ask('remove')}>
      Remove synced data
    </Button>
  );
  const syncNowButton = (
    <Button onClick={sync.syncNow} loading={sync.starting} disabled={sync.syncing}>
      {sync.syncing ? 'Syncing…' : 'Sync now'}
    </Button>
  );
  const historyButton = configured && (
    <Button variant="subtle" onClick={() => setHistoryOpen(true)}>
      Sync history
    </Button>
  );
  const authorizeButton = (primary: boolean, label = authorizeLabel) => (
    <Button
      variant={primary ? 'filled' : 'default'}
      onClick={reauthorize}
      loading={startAuthorization.isPending || redirecting}
    >
      {label}
    </Button>
  );

  // What the administrator can do now; destructive actions sit apart, on the right.
  let next: ReactNode = null;
  let main: ReactNode;
  let destructive: ReactNode;
  switch (tile.state) {
    case 'inactive':
      main = <Button onClick={() => openSettings('activate')}>Activate</Button>;
      destructive = (
        <>
          {tile.hasStoredAuthorization && disconnectButton}
          {configured && removeButton}
        </>
      );
      break;
    case 'needs_authorization':
      next =
        byCredentials && CredentialsForm ? (
          <Paper withBorder p="md" radius="sm" bg="gray.0">
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                Next: {sentenceInside(ui.credentials?.title ?? '')}
              </Text>
              <CredentialsForm tile={tile} />
            </Stack>
          </Paper>
        ) : (
          <Paper withBorder p="md" radius="sm" bg="gray.0">
            <Stack gap="sm" align="flex-start">
              <Text size="sm">
                <Text span fw={600}>
                  Next: authorize Satchel.
                </Text>{' '}
                {ui.browserPrompt ??
                  `Sign in with a ${ui.brand} admin account and allow Satchel read-only access to your devices.`}
              </Text>
              {authorizeButton(true)}
            </Stack>
          </Paper>
        );
      main = (
        <>
          {settingsButton}
          {deactivateButton}
        </>
      );
      destructive = (
        <>
          {tile.hasStoredAuthorization && disconnectButton}
          {configured && removeButton}
        </>
      );
      break;
    case 'needs_reauthorization':
    case 'error':
      main = (
        <>
          {authorizeButton(tile.state === 'needs_reauthorization', 'Re-authorize')}
          {settingsButton}
          {deactivateButton}
        </>
      );
      destructive = (
        <>
          {disconnectButton}
          {removeButton}
        </>
      );
      break;
    default:
      main = (
        <>
          {syncNowButton}
          {settingsButton}
          {deactivateButton}
        </>
      );
      destructive = (
        <>
          {disconnectButton}
          {removeButton}
        </>
      );
  }

  const confirmPending = deactivate.isPending || disconnect.isPending || removeData.isPending;
  const SettingsForm = ui.SettingsForm;

  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby={titleId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4}>
            <Title order={3} size="h4" id={titleId}>
              {tile.name}
            </Title>
            <Text size="sm" c="dimmed">
              {tile.description}
            </Text>
            <Anchor component="button" type="button" size="sm" onClick={() => setGuideOpen(true)}>
              Setup guide
            </Anchor>
          </Stack>
          <StatusBadge tile={tile} syncing={sync.syncing} />
        </Group>

        <StatusReason tile={tile} />

        {tile.privateUrlsAllowed && (
          <Text size="sm" c="dimmed">
            This installation lets {tile.name}’s address use http and private networks
            (SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS).
          </Text>
        )}

        <DataList labelWidth={130} gap="xs">
          <DataList.Item>
            <DataList.ItemLabel>Authorization</DataList.ItemLabel>
            <DataList.ItemValue>
              {tile.authorizedAccount
                ? `Authorized by ${tile.authorizedAccount} on ${formatDateTime(tile.authorizedAt)}`
                : tile.hasStoredAuthorization
                  ? `Authorized on ${formatDateTime(tile.authorizedAt)}`
                  : 'Not authorized'}
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Last sync</DataList.ItemLabel>
            <DataList.ItemValue>
              <LastSyncValue latest={sync.latest} brand={ui.label} />
            </DataList.ItemValue>
          </DataList.Item>
          {tile.nextSyncAt && !sync.syncing && (
            <DataList.Item>
              <DataList.ItemLabel>Next sync</DataList.ItemLabel>
              <DataList.ItemValue>
                {formatDateTime(tile.nextSyncAt)}{' '}
                <Text span size="sm" c="dimmed">
                  ({formatRelative(tile.nextSyncAt)})
                </Text>
              </DataList.ItemValue>
            </DataList.Item>
          )}
          {tile.settings &&
            [...ui.summary(tile.settings), ...commonSummary(tile, ui.authMethods)].map((fact) => (
              <DataList.Item key={fact.label}>
                <DataList.ItemLabel>{fact.label}</DataList.ItemLabel>
                <DataList.ItemValue>{fact.value}</DataList.ItemValue>
              </DataList.Item>
            ))}
        </DataList>

        {removed !== null && (
          <Text size="sm" c="green.8" role="status">
            Removed {plural(removed, 'synced device record')}.
          </Text>
        )}

        {sync.openRun && <SyncProgressPanel run={sync.openRun} providerName={tile.name} />}

        {next}

        <Group justify="space-between" align="center" gap="sm">
          <Group gap="sm">
            {main}
            {historyButton}
          </Group>
          <Group gap="sm">{destructive}</Group>
        </Group>
      </Stack>

      <Modal
        opened={settingsOpen}
        onClose={() => setSettingsOpen(false)}
        title={settingsMode === 'activate' ? `Activate ${tile.name}` : `${tile.name} settings`}
        size="lg"
      >
        {settingsMode && (
          <SettingsForm tile={tile} mode={settingsMode} onDone={() => setSettingsOpen(false)} />
        )}
      </Modal>

      <SyncHistoryModal tile={tile} opened={historyOpen} onClose={() => setHistoryOpen(false)} />
      <SetupGuideModal
        markdown={ui.guide}
        providerName={tile.name}
        opened={guideOpen}
        onClose={() => setGuideOpen(false)}
      />

      {CredentialsForm && (
        <Modal opened={keyFormOpen} onClose={() => setKeyFormOpen(false)} title={ui.credentials?.title}>
          <CredentialsForm tile={tile} onDone={() => setKeyFormOpen(false)} />
        </Modal>
      )}

      <ConfirmModal
        opened={confirmOpen}
        title={
          confirmation === 'deactivate'
            ? `Deactivate ${tile.name}`
            : confirmation === 'disconnect'
              ? `Disconnect ${tile.name}`
              : 'Remove synced data'
        }
        confirmLabel={
          confirmation === 'deactivate'
            ? 'Deactivate'
            : confirmation === 'disconnect'
              ? 'Disconnect'
              : 'Remove synced data'
        }
        danger
        loading={confirmPending}
        onConfirm={confirm}
        onClose={() => setConfirmOpen(false)}
      >
        <ConfirmText tile={tile} confirmation={confirmation} />
      </ConfirmModal>
    </Card>
  );
}

function ConfirmText({ tile, confirmation }: { tile: ProviderTile; confirmation: Confirmation | null }) {
  const { name } = tile;
  const brand = PROVIDER_UI[tile.key].brand;
  const storedMethod = storedAuthMethod(tile);
  const byCredentials =
    tile.authMethods.find((offered) => offered.key === storedMethod)?.kind === 'credentials';
  const afterDisconnect = storedMethod
    ? PROVIDER_UI[tile.key].authMethods[storedMethod]?.afterDisconnect
    : null;
  if (confirmation === 'deactivate') {
    return (
      <Stack gap="xs">
        <Text>
          Syncs stop, and Satchel sends no more requests to {brand} for {name}.
        </Text>
        <Text size="sm" c="dimmed">
          Device data already synced stays visible, labelled as coming from an inactive provider, until you
          remove it with Remove synced data. Satchel keeps the authorization, so activating again resumes
          without signing in.
        </Text>
      </Stack>
    );
  }
  if (confirmation === 'disconnect') {
    return (
      <Stack gap="xs">
        {afterDisconnect ? (
          <Text>
            Syncs stop and Satchel deletes what it stored. {afterDisconnect} To connect again, you will need
            to authorize again.
          </Text>
        ) : byCredentials ? (
          <Text>
            Syncs stop and Satchel deletes the stored credentials. Satchel cannot revoke them at {brand}:
            delete or rotate them in {brand}'s console too. To connect again, you will need to enter
            credentials again.
          </Text>
        ) : (
          <Text>
            Syncs stop, Satchel revokes its authorization at {brand} and deletes it. To connect again, you
            will need to authorize again.
          </Text>
        )}
        <Text size="sm" c="dimmed">
          Device data already synced stays visible, labelled as coming from an inactive provider, until you
          remove it with Remove synced data.
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      <Text>
        Remove every device record Satchel synced from {name}? Its fields disappear from device screens,
        lists, filters and exports. Your inventory itself is not changed. This cannot be undone.
      </Text>
      {tile.state !== 'inactive' && (
        <Text size="sm" c="dimmed">
          {name} is still activated, so its next sync brings the data back. Deactivate it first to keep the
          data out.
        </Text>
      )}
    </Stack>
  );
}
