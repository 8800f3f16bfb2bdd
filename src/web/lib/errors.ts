import { notifications } from '@mantine/notifications';
import { ApiError, type FieldIssue } from '../api/client.ts';
import { formatDateTime } from './format.ts';

/** A sentence a person can act on, for any error thrown by the API layer (never raw JSON). */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'locked') {
      const until = lockedUntil(error);
      return until
        ? `Too many failed sign-ins. This account is locked until ${formatDateTime(until)}.`
        : error.message;
    }
    return error.message;
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

function lockedUntil(error: ApiError): string | undefined {
  const details = error.details;
  if (typeof details === 'object' && details !== null && 'lockedUntil' in details) {
    const value = (details as { lockedUntil: unknown }).lockedUntil;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** A short title for an error notification or alert. */
export function errorTitle(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong';
  switch (error.code) {
    case 'invalid':
      return 'Please check the form';
    case 'unauthenticated':
      return 'Not signed in';
    case 'forbidden':
      return 'Not allowed';
    case 'csrf':
      return 'Security check failed';
    case 'not_found':
      return 'Not found';
    case 'conflict':
      return 'That change is not possible';
    case 'rate_limited':
      return 'Too many attempts';
    case 'locked':
      return 'Account locked';
    case 'network':
      return 'Cannot reach the server';
    case 'provider':
      return 'The MDM provider did not accept it';
    default:
      return 'Something went wrong';
  }
}

/** Validation issues keyed by form field, for those that match one of `fields`. */
export function fieldErrorsFor(error: unknown, fields: readonly string[]): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const result: Record<string, string> = {};
  for (const issue of error.fieldIssues) {
    if (fields.includes(issue.path) && !(issue.path in result)) result[issue.path] = issue.message;
  }
  return result;
}

/** Validation issues that could not be shown next to one of `fields`. */
export function otherIssues(error: unknown, fields: readonly string[]): FieldIssue[] {
  if (!(error instanceof ApiError)) return [];
  return error.fieldIssues.filter((issue) => !fields.includes(issue.path));
}

export function notifyError(error: unknown, title?: string): void {
  notifications.show({ color: 'red', title: title ?? errorTitle(error), message: describeError(error) });
}

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'green', title, message });
}
