import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SignInMethods, SignInSettings, UpdateSignInSettings } from '../../common/sign-in.ts';
import { api } from './client.ts';

const settingsKey = ['sign-in-settings'] as const;

/** The single sign-on buttons for this email (or, with none yet, for an installation of one district). */
export function useSignInMethods(email: string) {
  return useQuery({
    queryKey: ['sign-in-methods', email],
    queryFn: ({ signal }) =>
      api<SignInMethods>(`/sign-in/methods${email ? `?email=${encodeURIComponent(email)}` : ''}`, {
        signal,
        endSessionOnUnauthenticated: false,
      }),
    staleTime: 60_000,
  });
}

export function useSignInSettings() {
  return useQuery({
    queryKey: settingsKey,
    queryFn: ({ signal }) => api<SignInSettings>('/district/sign-in', { signal }),
  });
}

export function useChangeSignInSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSignInSettings) =>
      api<SignInSettings>('/district/sign-in', { method: 'PUT', body }),
    onSuccess: (settings) => queryClient.setQueryData(settingsKey, settings),
  });
}
