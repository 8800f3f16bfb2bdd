import { createContext, useContext } from 'react';
import type { SessionResponse } from '../../common/auth.ts';
import type { Permission } from '../../common/permissions.ts';

export const SessionContext = createContext<SessionResponse | null>(null);

/** The signed-in user's session; only usable below <RequireSession>. */
export function useCurrentSession(): SessionResponse {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useCurrentSession must be used below <RequireSession>');
  return session;
}

export function useHasPermission(permission: Permission): boolean {
  return useCurrentSession().permissions.includes(permission);
}
