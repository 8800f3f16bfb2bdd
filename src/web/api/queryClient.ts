import { notifications } from '@mantine/notifications';
import { QueryClient } from '@tanstack/react-query';
import type { SessionResponse } from '../../common/auth.ts';
import { ApiError, configureClient } from './client.ts';
import { queryKeys } from './keys.ts';
import { fetchSession, SESSION_ENDED_NOTIFICATION } from './session.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Client errors (4xx) will not fix themselves; retry only network and server failures.
      retry: (failureCount, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
    },
    mutations: { retry: false },
  },
});

configureClient({
  getCsrfToken: () => queryClient.getQueryData<SessionResponse | null>(queryKeys.session)?.csrfToken,
  refreshCsrfToken: async () => {
    const session = await fetchSession();
    queryClient.setQueryData(queryKeys.session, session);
    return session?.csrfToken;
  },
  onUnauthenticated: () => {
    const hadSession = Boolean(queryClient.getQueryData<SessionResponse | null>(queryKeys.session));
    // The session guard sees `null` and sends the user to the sign-in page, keeping the current path.
    queryClient.setQueryData(queryKeys.session, null);
    if (hadSession) {
      notifications.show({
        id: SESSION_ENDED_NOTIFICATION,
        color: 'yellow',
        title: 'Signed out',
        message: 'Your session has ended. Sign in again to continue.',
      });
    }
  },
});
