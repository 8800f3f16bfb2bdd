/**
 * The tenant and app registration a fake starts with unless told otherwise, so a test or demo can ask for a
 * token at once.
 */
import { TEST_CERTIFICATE_PEM } from './test-certificates.ts';
import type { FakeAppInput, FakeTenantInput } from './types.ts';

export const DEFAULT_DOMAIN = 'district.example.org';

export const DEFAULT_TENANT: Required<FakeTenantInput> = {
  id: '5a9d7a61-2f44-4c3e-9d1b-0b6f2d3c4e5f',
  domains: [DEFAULT_DOMAIN, 'districtexample.onmicrosoft.com'],
  name: 'District Example',
  licensed: true,
};

export const DEFAULT_APP: FakeAppInput & {
  secret: string;
  certificatePem: string;
  redirectUris: string[];
} = {
  clientId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  displayName: 'Satchel',
  secret: 'Sat8Q~fake-intune-client-secret-value-0000',
  certificatePem: TEST_CERTIFICATE_PEM,
  permissions: ['DeviceManagementManagedDevices.Read.All'],
  multiTenant: true,
  redirectUris: [
    'http://localhost:3000/api/v1/mdm/providers/intune/oauth/callback',
    'http://127.0.0.1:3000/api/v1/mdm/providers/intune/oauth/callback',
  ],
};
