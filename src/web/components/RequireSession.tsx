import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { signedOutByUser, useSession } from '../api/session.ts';
import { describeError } from '../lib/errors.ts';
import { signInPath } from '../lib/navigation.ts';
import { SessionContext } from './SessionContext.tsx';

/** Renders its child routes only for a signed-in user; everyone else goes to the sign-in page. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();

  if (session.data) {
    return (
      <SessionContext value={session.data}>
        <Outlet />
      </SessionContext>
    );
  }
  if (session.data === null) {
    const returnTo = signedOutByUser() ? undefined : `${location.pathname}${location.search}`;
    return <Navigate to={signInPath(returnTo)} replace />;
  }
  if (session.isError) {
    return (
      <Center mih="100vh" p="md">
        <Stack maw={480}>
          <Alert color="red" title="Satchel could not load" role="alert">
            {describeError(session.error)}
          </Alert>
          <Button onClick={() => session.refetch()} loading={session.isFetching}>
            Try again
          </Button>
        </Stack>
      </Center>
    );
  }
  return (
    <Center mih="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}
