import { type FormValidateInput, useForm } from '@mantine/form';
import type { ProviderTile } from '../../../../common/mdm.ts';
import { useActivateProvider, useUpdateProviderSettings } from '../../../api/mdm.ts';
import { notifySuccess } from '../../../lib/errors.ts';
import { settingsFieldErrors } from '../../../lib/mdm.ts';
import type { SettingsFormProps } from '../../../providers/types.ts';
import type { CommonValues } from './commonSettings.ts';

/**
 * A provider's settings form: activate (POST, pre-filled from stored settings when re-activating) or change
 * (PATCH). The provider gives its fields' values, checks and how they become settings; saving, notifying and
 * placing the server's errors next to their fields are the same for every provider.
 */
export function useProviderSettingsForm<Values extends CommonValues>(
  { tile, mode, onDone }: SettingsFormProps,
  form: {
    initialValues: Values;
    validate: FormValidateInput<Values>;
    /** Every field the form shows, so a server error lands next to its field. */
    fields: readonly string[];
    toSettings(values: Values): Record<string, unknown>;
  },
) {
  const activate = useActivateProvider();
  const update = useUpdateProviderSettings();
  const mutation = mode === 'activate' ? activate : update;
  const state = useForm<Values>({ initialValues: form.initialValues, validate: form.validate });
  const serverErrors = settingsFieldErrors(mutation.error, form.fields);

  const handleSubmit = state.onSubmit((values) => {
    const settings = form.toSettings(values);
    const options = {
      onSuccess: (updated: ProviderTile) => {
        notifySuccess(...savedMessage(tile, updated, mode));
        onDone();
      },
      onError: (error: unknown) => state.setErrors(settingsFieldErrors(error, form.fields).errors),
    };
    if (mode === 'activate') {
      // Settings this form does not show (e.g. the service account's admin) are kept.
      activate.mutate({ key: tile.key, settings: { ...(tile.settings ?? {}), ...settings } }, options);
    } else {
      update.mutate({ key: tile.key, settings }, options);
    }
  });

  return { form: state, handleSubmit, mutation, serverErrors };
}

function savedMessage(
  before: ProviderTile,
  updated: ProviderTile,
  mode: 'activate' | 'edit',
): [message: string, title: string] {
  if (mode === 'edit') {
    return [
      updated.state === 'needs_authorization' && before.state !== 'needs_authorization'
        ? `Authorize ${updated.name} again with the new method to resume syncing.`
        : `The settings of ${updated.name} were saved.`,
      'Settings saved',
    ];
  }
  return [
    updated.state === 'active'
      ? `${updated.name} is active again with the stored authorization.`
      : `Next, authorize Satchel to read your devices from ${updated.name}.`,
    `${updated.name} activated`,
  ];
}
