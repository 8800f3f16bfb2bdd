import { z } from 'zod';
import { CommonSettings } from '../../../../common/mdm.ts';

/**
 * Google's settings and credentials, shared with the web app's forms (this file imports nothing from the
 * server, so the browser bundle can use it).
 */
export const GOOGLE_AUTH_METHODS = ['oauth', 'service_account'] as const;
export type GoogleAuthMethod = (typeof GOOGLE_AUTH_METHODS)[number];

export const GoogleSettings = CommonSettings.extend({
  authMethod: z.enum(GOOGLE_AUTH_METHODS).default('oauth'),
  customerId: z
    .string()
    .trim()
    .regex(/^(my_customer|C[0-9a-z]{5,20})$/, 'Use my_customer or your Google customer ID (C0…)')
    .default('my_customer'),
  orgUnitPaths: z
    .array(
      z
        .string()
        .trim()
        .regex(/^\/[^\n]{0,500}$/, 'Org unit paths start with /'),
    )
    .max(50)
    .default([]),
  /** The admin a service account acts as (domain-wide delegation); set with the key. */
  impersonatedAdmin: z.email().nullable().default(null),
  /** Privacy: how many of a device's recent users are kept (0 keeps none). */
  recentUsersKept: z.number().int().min(0).max(10).default(10),
});
export type GoogleSettings = z.infer<typeof GoogleSettings>;

/** `POST …/providers/google/credentials`: a service-account key (JSON, as text or parsed) and the admin it acts as. */
export const GoogleCredentials = z.strictObject({
  serviceAccountKey: z.union([z.string().max(20_000), z.record(z.string(), z.unknown())]),
  impersonatedAdmin: z.email(),
});
export type GoogleCredentials = z.infer<typeof GoogleCredentials>;
