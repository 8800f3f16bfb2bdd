import { Alert, Button, Center, Stack } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';

/** Last-resort error screen for anything thrown while rendering a route. */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <Center mih="100vh" p="md">
      <Stack maw={520}>
        <Alert color="red" title="Something went wrong" role="alert">
          This page ran into an unexpected problem. Reloading usually fixes it; if it keeps happening, tell
          your Satchel administrator.
        </Alert>
        <Button onClick={() => window.location.reload()}>Reload the page</Button>
      </Stack>
    </Center>
  );
}
