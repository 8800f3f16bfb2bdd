/** React Query keys, in one place so invalidation stays consistent. */
export const queryKeys = {
  session: ['session'] as const,
  setupStatus: (token: string) => ['setup-status', token] as const,
  users: ['users'] as const,
  tokens: ['tokens'] as const,
  /** Every user's tokens, for administrators. */
  districtTokens: ['tokens', 'district'] as const,
  districtSettings: ['district-settings'] as const,
  audit: ['audit-events'] as const,
  /** Everything about devices: lists, details and histories. */
  devices: ['devices'] as const,
  deviceList: (query: string) => ['devices', 'list', query] as const,
  device: (id: string) => ['devices', 'detail', id] as const,
  deviceHistory: (id: string) => ['devices', 'history', id] as const,
  /** Everything about people: lists, searches and details. */
  people: ['people'] as const,
  peopleList: (query: string) => ['people', 'list', query] as const,
  person: (id: string) => ['people', 'detail', id] as const,
  schools: ['schools'] as const,
  savedViews: (list: string) => ['saved-views', list] as const,
  /** System Settings › MDM Settings: the provider tiles. */
  mdmProviders: ['mdm-providers'] as const,
  /** Sync runs: every provider's history and single runs being watched. */
  mdmRuns: ['mdm-runs'] as const,
  mdmRunList: (provider: string) => ['mdm-runs', 'list', provider] as const,
  mdmRun: (id: string) => ['mdm-runs', 'run', id] as const,
};
