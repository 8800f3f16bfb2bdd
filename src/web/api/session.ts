import { notifications } from '@mantine/notifications';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ChangePasswordRequest,
  DistrictSignInRequest,
  SessionResponse,
  SetupRequest,
  SetupStatus,
  SignInRequest,
  SignInResponse,
} from '../../common/auth.ts';
import { ApiError, api } from './client.ts';
import { queryKeys } from './keys.ts';

/** Id of the "your session has ended" notification, hidden again once the user signs back in. */
export const SESSION_ENDED_NOTIFICATION = 'session-ended';

/** `null` means nobody is signed in. */
export async function fetchSession(signal?: AbortSignal): Promise<SessionResponse | null> {
  try {
    return await api<SessionResponse>('/session', { signal, endSessionOnUnauthenticated: false });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useSession() {
  return useQuery({
    queryKey: queryKeys.session,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5 * 60_000,
  });
}

/** Set when the user chose to sign out, so the sign-in page is not given a "return to" path. */
let signedOutOnPurpose = false;

export function signedOutByUser(): boolean {
  return signedOutOnPurpose;
}

/** Replaces whatever was cached for the previous user with the new session. */
export function startSession(queryClient: QueryClient, session: SessionResponse): void {
  signedOutOnPurpose = false;
  notifications.hide(SESSION_ENDED_NOTIFICATION);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.session[0] });
  queryClient.setQueryData(queryKeys.session, session);
}

/** Signs in, or answers with the districts to choose from when the account is in several. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SignInRequest) =>
      api<SignInResponse>('/session', { method: 'POST', body, endSessionOnUnauthenticated: false }),
    onSuccess: (answer) => {
      if (!('districtChoice' in answer)) startSession(queryClient, answer);
    },
  });
}

/** The second step of signing in to an account that is in several districts. */
export function useSignInToDistrict() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DistrictSignInRequest) =>
      api<SessionResponse>('/session/district', { method: 'POST', body, endSessionOnUnauthenticated: false }),
    onSuccess: (session) => startSession(queryClient, session),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api<void>('/session', { method: 'DELETE', endSessionOnUnauthenticated: false });
      } catch (error) {
        // Already signed out on the server: treat as success.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: () => {
      signedOutOnPurpose = true;
      queryClient.setQueryData(queryKeys.session, null);
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: ChangePasswordRequest) => api<void>('/me/password', { method: 'POST', body }),
  });
}

export function useSetupStatus(token: string | null) {
  return useQuery({
    queryKey: queryKeys.setupStatus(token ?? ''),
    queryFn: ({ signal }) =>
      api<SetupStatus>('/setup/status', { query: { token }, signal, endSessionOnUnauthenticated: false }),
    enabled: Boolean(token),
    staleTime: 0,
  });
}

export function useCompleteSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SetupRequest) =>
      api<SessionResponse>('/setup', { method: 'POST', body, endSessionOnUnauthenticated: false }),
    onSuccess: (session) => startSession(queryClient, session),
  });
}
