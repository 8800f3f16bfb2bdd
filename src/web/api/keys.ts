/** React Query keys, in one place so invalidation stays consistent. */
export const queryKeys = {
  session: ['session'] as const,
  setupStatus: (token: string) => ['setup-status', token] as const,
  users: ['users'] as const,
  tokens: ['tokens'] as const,
  audit: ['audit-events'] as const,
};
