import { z } from 'zod';
import { CommonSettings } from '../../../../common/mdm.ts';

/**
 * Intune's settings and credentials, shared with the web app's forms (this file imports nothing from the
 * server, so the browser bundle can use it).
 */
export const INTUNE_AUTH_METHODS = ['client_credentials', 'admin_consent'] as const;
export type IntuneAuthMethod = (typeof INTUNE_AUTH_METHODS)[number];

/** The application permission Satchel needs in the district's tenant (read-only, devices only). */
export const DEVICE_READ_PERMISSION = 'DeviceManagementManagedDevices.Read.All';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS name with at least one dot: `district.org`, `district.onmicrosoft.com`. */
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export const IntuneSettings = CommonSettings.extend({
  authMethod: z.enum(INTUNE_AUTH_METHODS).default('client_credentials'),
  /** The district's Microsoft Entra tenant: its ID, or one of its verified domains. */
  tenantId: z
    .string()
    .trim()
    .toLowerCase()
    .refine(
      (value) => GUID.test(value) || DOMAIN.test(value),
      'Use the directory (tenant) ID, a GUID, or a verified domain of the tenant such as district.org',
    ),
});
export type IntuneSettings = z.infer<typeof IntuneSettings>;

/**
 * `POST …/providers/intune/credentials`: an app registration of the district's, proven by a client secret or
 * by a certificate and its private key (both PEM). One object with optional fields rather than a union, so a
 * missing or extra field is answered on that field by name.
 */
export const IntuneCredentials = z
  .strictObject({
    clientId: z
      .string()
      .trim()
      .regex(GUID, 'The application (client) ID is a GUID, as the app registration’s Overview shows it'),
    clientSecret: z.string().trim().min(1).max(1024).optional(),
    certificatePem: z.string().trim().min(1).max(20_000).optional(),
    privateKeyPem: z.string().trim().min(1).max(20_000).optional(),
  })
  .superRefine((credentials, context) => {
    const certificate = credentials.certificatePem !== undefined || credentials.privateKeyPem !== undefined;
    if (credentials.clientSecret !== undefined && certificate)
      context.addIssue({
        code: 'custom',
        path: ['clientSecret'],
        message: 'Give a client secret or a certificate, not both',
      });
    else if (credentials.clientSecret === undefined && !certificate)
      context.addIssue({
        code: 'custom',
        path: ['clientSecret'],
        message: 'Give the client secret, or the certificate and its private key',
      });
    else if (certificate && credentials.certificatePem === undefined)
      context.addIssue({
        code: 'custom',
        path: ['certificatePem'],
        message: 'Give the certificate (PEM) that goes with the private key',
      });
    else if (certificate && credentials.privateKeyPem === undefined)
      context.addIssue({
        code: 'custom',
        path: ['privateKeyPem'],
        message: 'Give the certificate’s private key (PEM)',
      });
  });
export type IntuneCredentials = z.infer<typeof IntuneCredentials>;
