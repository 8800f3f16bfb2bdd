import { Button, Group, Menu, Modal, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { SavedView } from '../../../common/savedViews.ts';
import { useSavedViewChanges, useSavedViews } from '../../api/savedViews.ts';
import { describeError, notifyError, notifySuccess } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';

interface SavedViewsMenuProps {
  /** The list's filters as its address has them, without paging. */
  filters: string;
  columns: readonly string[];
  onOpen: (view: SavedView) => void;
}

function SaveViewForm({
  onSave,
  saving,
  error,
}: {
  onSave: (name: string) => void;
  saving: boolean;
  error: unknown;
}) {
  const [name, setName] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) onSave(name.trim());
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <Text size="sm">Saves the filters and columns you see now, under a name only you see.</Text>
        <TextInput
          label="Name"
          placeholder="Chromebooks not seen this month"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={error ? describeError(error) : undefined}
          maxLength={80}
          required
          data-autofocus
        />
        <Group justify="flex-end">
          <Button type="submit" loading={saving} disabled={!name.trim()}>
            Save view
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ManageViews({
  views,
  filters,
  columns,
}: {
  views: readonly SavedView[];
  filters: string;
  columns: readonly string[];
}) {
  const { update, remove } = useSavedViewChanges('devices');
  if (views.length === 0) return <Text c="dimmed">You have no saved views.</Text>;
  return (
    <Table aria-label="Your saved views" verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Saved</Table.Th>
          <Table.Th>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {views.map((view) => (
          <Table.Tr key={view.id}>
            <Table.Td>{view.name}</Table.Td>
            <Table.Td>{formatDateTime(view.updatedAt)}</Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                <Button
                  size="compact-sm"
                  variant="default"
                  aria-label={`Replace ${view.name} with the current filters and columns`}
                  onClick={() =>
                    update.mutate(
                      { id: view.id, changes: { filters, columns: [...columns] } },
                      {
                        onSuccess: () =>
                          notifySuccess(`${view.name} now shows the current filters and columns`),
                        onError: (error) => notifyError(error, 'Could not update the view'),
                      },
                    )
                  }
                >
                  Replace with current
                </Button>
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  aria-label={`Delete ${view.name}`}
                  onClick={() =>
                    remove.mutate(view.id, {
                      onError: (error) => notifyError(error, 'Could not delete the view'),
                    })
                  }
                >
                  Delete
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A person's saved views of the device list: open one, save the current one, or manage them. */
export function SavedViewsMenu({ filters, columns, onOpen }: SavedViewsMenuProps) {
  const views = useSavedViews('devices');
  const { create } = useSavedViewChanges('devices');
  const [dialog, setDialog] = useState<'save' | 'manage' | null>(null);
  const list = views.data?.views ?? [];

  const save = (name: string) =>
    create.mutate(
      { name, filters, columns: [...columns] },
      {
        onSuccess: (view) => {
          setDialog(null);
          notifySuccess(`Saved as ${view.name}`);
        },
      },
    );

  return (
    <>
      <Menu position="bottom-end" width={260} withinPortal>
        <Menu.Target>
          <Button variant="default">Saved views</Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Your views</Menu.Label>
          {views.isError && <Menu.Item disabled>Could not load your views</Menu.Item>}
          {views.isSuccess && list.length === 0 && <Menu.Item disabled>None saved yet</Menu.Item>}
          {list.map((view) => (
            <Menu.Item key={view.id} onClick={() => onOpen(view)}>
              {view.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item
            onClick={() => {
              create.reset();
              setDialog('save');
            }}
          >
            Save this view…
          </Menu.Item>
          <Menu.Item onClick={() => setDialog('manage')} disabled={list.length === 0}>
            Manage views…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={dialog === 'save'} onClose={() => setDialog(null)} title="Save this view">
        {dialog === 'save' && <SaveViewForm onSave={save} saving={create.isPending} error={create.error} />}
      </Modal>
      <Modal opened={dialog === 'manage'} onClose={() => setDialog(null)} title="Your saved views" size="lg">
        {dialog === 'manage' && <ManageViews views={list} filters={filters} columns={columns} />}
      </Modal>
    </>
  );
}
