import { CredentialPairForm } from '../../components/mdm/CredentialPairForm.tsx';
import type { CredentialsFormProps } from '../types.ts';

/**
 * Authorizes with the Network ID and an API key; the server tests them with one request to Jamf School before
 * the provider becomes active, and says what to fix if Jamf School refuses them.
 */
export function JamfSchoolCredentialsForm(props: CredentialsFormProps) {
  return (
    <CredentialPairForm
      {...props}
      label={`API key for ${props.tile.name}`}
      fields={[
        {
          name: 'networkId',
          label: 'Network ID',
          description: 'In Jamf School: Devices › Enroll Device(s).',
          missing: 'Enter the Network ID shown under Devices › Enroll Device(s)',
        },
        {
          name: 'apiKey',
          label: 'API key',
          description: 'In Jamf School: Organization › Settings › API. It needs read access to devices.',
          missing: 'Enter the API key from Organization › Settings › API',
          secret: true,
        },
      ]}
    />
  );
}
