import { CredentialPairForm } from '../../components/mdm/CredentialPairForm.tsx';
import type { CredentialsFormProps } from '../types.ts';

/**
 * Authorizes with a Jamf Pro API client: the server gets a token and tries one request per inventory before
 * the provider becomes active, and says what to fix when Jamf Pro refuses.
 */
export function ApiClientForm(props: CredentialsFormProps) {
  return (
    <CredentialPairForm
      {...props}
      label={`API client for ${props.tile.name}`}
      fields={[
        {
          name: 'clientId',
          label: 'Client ID',
          description: 'In Jamf Pro: Settings › System › API roles and clients › API Clients › the client.',
          missing: 'Enter the API client’s client ID',
        },
        {
          name: 'clientSecret',
          label: 'Client secret',
          description: 'Shown once, when it is generated; generate a new one if you no longer have it.',
          missing: 'Enter the API client’s client secret',
          secret: true,
        },
      ]}
    />
  );
}
