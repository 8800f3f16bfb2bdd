/**
 * The v1.0 `managedDevice` properties (resource page of microsoft-graph-docs-contrib, plus
 * `enrollmentProfileName`, which v1.0 now serves as null) and the empty values Intune reports for what a
 * device does not have.
 */
import { randomUUID } from 'node:crypto';
import type { FakeManagedDevice, FakeManagedDeviceInput } from './types.ts';

/** "No date" as Intune writes it. */
export const NO_DATE = '0001-01-01T00:00:00Z';

const EMPTY_DEVICE: Omit<FakeManagedDevice, 'id'> = {
  userId: null,
  deviceName: null,
  managedDeviceOwnerType: 'company',
  deviceActionResults: [],
  enrolledDateTime: NO_DATE,
  lastSyncDateTime: NO_DATE,
  operatingSystem: null,
  complianceState: 'unknown',
  jailBroken: 'Unknown',
  managementAgent: 'mdm',
  osVersion: null,
  easActivated: false,
  easDeviceId: null,
  easActivationDateTime: NO_DATE,
  azureADRegistered: null,
  deviceEnrollmentType: 'unknown',
  activationLockBypassCode: null,
  emailAddress: null,
  azureADDeviceId: null,
  deviceRegistrationState: 'notRegistered',
  deviceCategoryDisplayName: null,
  isSupervised: false,
  exchangeLastSuccessfulSyncDateTime: NO_DATE,
  exchangeAccessState: 'none',
  exchangeAccessStateReason: 'none',
  remoteAssistanceSessionUrl: null,
  remoteAssistanceSessionErrorDetails: null,
  isEncrypted: false,
  userPrincipalName: null,
  model: null,
  manufacturer: null,
  imei: null,
  complianceGracePeriodExpirationDateTime: '9999-12-31T23:59:59Z',
  serialNumber: null,
  phoneNumber: null,
  androidSecurityPatchLevel: null,
  userDisplayName: null,
  configurationManagerClientEnabledFeatures: null,
  wiFiMacAddress: null,
  deviceHealthAttestationState: null,
  subscriberCarrier: null,
  meid: null,
  totalStorageSpaceInBytes: 0,
  freeStorageSpaceInBytes: 0,
  managedDeviceName: null,
  partnerReportedThreatState: 'unknown',
  requireUserEnrollmentApproval: null,
  managementCertificateExpirationDate: NO_DATE,
  iccid: null,
  udid: null,
  notes: null,
  ethernetMacAddress: null,
  physicalMemoryInBytes: 0,
  enrollmentProfileName: null,
};

export const MANAGED_DEVICE_PROPERTIES: readonly (keyof FakeManagedDevice)[] = [
  'id',
  ...(Object.keys(EMPTY_DEVICE) as (keyof FakeManagedDevice)[]),
];

const BY_LOWER_CASE = new Map(MANAGED_DEVICE_PROPERTIES.map((name) => [name.toLowerCase(), name]));

/** The canonical spelling of a property name (Graph matches them case-insensitively), or undefined. */
export function propertyNamed(name: string): keyof FakeManagedDevice | undefined {
  return BY_LOWER_CASE.get(name.toLowerCase());
}

/**
 * A whole device from a partial one, its properties in the resource's order. A device that is whole already
 * (a generated fleet) is kept as it is: copying 300,000 of them would double the fleet's memory for nothing.
 */
export function completeDevice(input: FakeManagedDeviceInput): FakeManagedDevice {
  if (MANAGED_DEVICE_PROPERTIES.every((property) => property in input)) return input as FakeManagedDevice;
  return { id: input.id ?? randomUUID(), ...EMPTY_DEVICE, ...input } as FakeManagedDevice;
}
