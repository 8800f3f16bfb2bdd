import {
  Alert,
  Button,
  CopyButton,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { type ReactNode, useState } from 'react';
import type { ApiToken, CreatedToken } from '../../common/tokens.ts';
import { useCreateToken, useRevokeToken, useTokens } from '../api/tokens.ts';
import { describeError, fieldErrorsFor, notifyError, notifySuccess } from '../lib/errors.ts';
import { ConfirmModal } from './ConfirmModal.tsx';
import { FormError } from './FormError.tsx';
import { TokenTable } from './TokenTable.tsx';

/** `longest`: the district's maximum lifetime (a year unless the district chose otherwise). */
const EXPIRY_OPTIONS = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: 'longest', label: 'The longest the district allows' },
];

function CreateTokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (t: CreatedToken) => void;
  onCancel: () => void;
}) {
  const createToken = useCreateToken();
  const form = useForm({
    initialValues: { name: '', expiry: '90' },
    validate: { name: isNotEmpty('Give the token a name') },
  });

  const handleSubmit = form.onSubmit((values) => {
    createToken.mutate(
      {
        name: values.name.trim(),
        expiresInDays: values.expiry === 'longest' ? null : Number(values.expiry),
      },
      {
        onSuccess: onCreated,
        onError: (error) => {
          const errors = fieldErrorsFor(error, ['name', 'expiresInDays']);
          form.setErrors({ name: errors.name, expiry: errors.expiresInDays });
        },
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={createToken.error} fields={['name', 'expiresInDays']} />
        <TextInput
          label="Name"
          description="What the token is for, e.g. “Nightly inventory export”"
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Select
          label="Expires after"
          data={EXPIRY_OPTIONS}
          allowDeselect={false}
          {...form.getInputProps('expiry')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={createToken.isPending}>
            Create token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function NewTokenSecret({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" title="Copy this token now" role="status">
        This is the only time the token “{created.token.name}” is shown. You won't see it again: if you lose
        it, revoke it and create a new one.
      </Alert>
      <TextInput
        label="Token"
        value={created.secret}
        readOnly
        onFocus={(event) => event.currentTarget.select()}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <Group justify="space-between">
        <CopyButton value={created.secret} timeout={2000}>
          {({ copied, copy }) => (
            <Button color={copied ? 'teal' : 'blue'} variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy token'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

/** The signed-in user's personal API tokens (used on the Account page and in System Settings). */
export function ApiTokensPanel() {
  const tokens = useTokens();
  const revokeToken = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [revokeOpen, setRevokeOpen] = useState(false);

  const closeCreate = () => {
    setCreating(false);
    setCreated(null);
  };

  const confirmRevoke = () => {
    if (!revoking) return;
    const token = revoking;
    revokeToken.mutate(token.id, {
      onSuccess: () => {
        setRevokeOpen(false);
        notifySuccess(`The token “${token.name}” was revoked.`, 'Token revoked');
      },
      onError: (error) => notifyError(error, 'Could not revoke the token'),
    });
  };

  let body: ReactNode;
  if (tokens.isPending) {
    body = <Loader aria-label="Loading API tokens" />;
  } else if (tokens.isError) {
    body = (
      <Alert color="red" title="Could not load API tokens" role="alert">
        {describeError(tokens.error)}
      </Alert>
    );
  } else if (tokens.data.tokens.length === 0) {
    body = <Text c="dimmed">You don't have any API tokens.</Text>;
  } else {
    body = (
      <TokenTable
        tokens={tokens.data.tokens}
        onRevoke={(token) => {
          setRevoking(token);
          setRevokeOpen(true);
        }}
      />
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2} size="h3">
            API tokens
          </Title>
          <Text c="dimmed" size="sm">
            Personal tokens let scripts and integrations use the Satchel API with your permissions.
          </Text>
        </Stack>
        <Button onClick={() => setCreating(true)}>Create token</Button>
      </Group>
      {body}

      <Modal
        opened={creating}
        onClose={closeCreate}
        title={created ? 'Your new API token' : 'Create API token'}
        closeOnClickOutside={!created}
      >
        {created ? (
          <NewTokenSecret created={created} onDone={closeCreate} />
        ) : (
          <CreateTokenForm onCreated={setCreated} onCancel={closeCreate} />
        )}
      </Modal>

      <ConfirmModal
        opened={revokeOpen}
        title="Revoke API token"
        confirmLabel="Revoke token"
        danger
        loading={revokeToken.isPending}
        onConfirm={confirmRevoke}
        onClose={() => setRevokeOpen(false)}
      >
        {`Revoke the token “${revoking?.name ?? ''}”? Anything using it stops working immediately. This cannot be undone.`}
      </ConfirmModal>
    </Stack>
  );
}
