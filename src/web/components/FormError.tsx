import { Alert, List } from '@mantine/core';
import { ApiError } from '../api/client.ts';
import { describeError, errorTitle, otherIssues } from '../lib/errors.ts';

interface FormErrorProps {
  error: unknown;
  /** Form fields that show their own server validation messages. */
  fields?: readonly string[];
}

/** An inline alert for a failed submission; validation issues not shown next to a field are listed here. */
export function FormError({ error, fields = [] }: FormErrorProps) {
  if (!error) return null;
  const issues = otherIssues(error, fields);
  const placedAll =
    error instanceof ApiError &&
    error.code === 'invalid' &&
    error.fieldIssues.length > 0 &&
    issues.length === 0;
  if (placedAll) return null;
  return (
    <Alert color="red" title={errorTitle(error)} role="alert">
      {describeError(error)}
      {issues.length > 0 && (
        <List size="sm" mt="xs">
          {issues.map((issue) => (
            <List.Item key={`${issue.path}:${issue.message}`}>
              {issue.path ? `${issue.path}: ${issue.message}` : issue.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
