import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AcceptInvitationRequest,
  CompletePasswordResetRequest,
  InvitationDetails,
  MailNotificationSettings,
  MailNotifications,
  PasswordResetAnswer,
  PasswordResetRequest,
} from '../../common/account-mail.ts';
import type { SessionResponse } from '../../common/auth.ts';
import type { InvitationResult, InviteUserRequest } from '../../common/users.ts';
import { api } from './client.ts';
import { queryKeys } from './keys.ts';
import { startSession } from './session.ts';

const publicCall = { endSessionOnUnauthenticated: false } as const;

export function useInvitationDetails(token: string) {
  return useQuery({
    queryKey: ['invitation', token],
    queryFn: ({ signal }) =>
      api<InvitationDetails>('/invitation/details', {
        method: 'POST',
        body: { token },
        signal,
        ...publicCall,
      }),
    enabled: token !== '',
    retry: false,
  });
}

export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AcceptInvitationRequest) =>
      api<SessionResponse>('/invitation/accept', { method: 'POST', body, ...publicCall }),
    onSuccess: (session) => startSession(queryClient, session),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: PasswordResetRequest) =>
      api<PasswordResetAnswer>('/password-reset', { method: 'POST', body, ...publicCall }),
  });
}

export function useCompletePasswordReset() {
  return useMutation({
    mutationFn: (body: CompletePasswordResetRequest) =>
      api<void>('/password-reset/complete', { method: 'POST', body, ...publicCall }),
  });
}

export function useInviteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: InviteUserRequest) =>
      api<InvitationResult>('/users/invitations', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useResendInvitation() {
  return useMutation({
    mutationFn: (userId: string) =>
      api<InvitationResult>(`/users/${encodeURIComponent(userId)}/invitation`, { method: 'POST' }),
  });
}

const notificationsKey = ['mail-notifications'] as const;

export function useMailNotifications() {
  return useQuery({
    queryKey: notificationsKey,
    queryFn: ({ signal }) => api<MailNotificationSettings>('/me/notifications', { signal }),
  });
}

export function useChangeMailNotifications() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MailNotifications) =>
      api<MailNotificationSettings>('/me/notifications', { method: 'PUT', body }),
    onSuccess: (settings) => queryClient.setQueryData(notificationsKey, settings),
  });
}
