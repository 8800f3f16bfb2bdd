import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { DeviceStatus, DeviceType } from '../../common/inventory.ts';
import type { Role } from '../../common/permissions.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<
  Record<string, unknown>,
  string | Record<string, unknown>,
  string | Record<string, unknown>
>;

export interface DistrictsTable {
  id: Generated<string>;
  name: string;
  token_max_lifetime_days: Generated<number>;
  mdm_history_retention_days: Generated<number>;
  /** IANA zone for times written into exports; null until set (exports use UTC). */
  time_zone: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  district_id: string;
  email: string;
  name: string;
  role: Role;
  /** Null for an invited person who has not chosen one, and for those who only sign in with their district's SSO. */
  password_hash: string | null;
  notify_reauthorization: Generated<boolean>;
  notify_sync_failures: Generated<boolean>;
  disabled_at: NullableTimestamp;
  last_sign_in_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  district_id: string;
  user_id: string;
  token_hash: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  district_id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface SetupTokensTable {
  id: Generated<string>;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface AuditEventsTable {
  id: Generated<string>;
  district_id: string;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: Json;
  ip: string | null;
  created_at: CreatedAt;
}

export type AccountLinkPurpose = 'invitation' | 'password_reset';

/** Invitation and password-reset links (migration 0019); only the hash of the link's secret is kept. */
export interface AccountLinksTable {
  id: Generated<string>;
  district_id: string;
  user_id: string;
  purpose: AccountLinkPurpose;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** A district's single sign-on and password policy (migration 0020). */
export interface DistrictSignInTable {
  district_id: string;
  google_enabled: boolean;
  microsoft_enabled: boolean;
  microsoft_tenant_id: string | null;
  allowed_domains: string[];
  jit_accounts: boolean;
  default_role: Role;
  password_sign_in: 'everyone' | 'first_admin';
  updated_at: Timestamp;
}

/** Failed sign-ins per account and address (migration 0014); the key is a keyed hash of both. */
export interface SignInThrottlesTable {
  key: string;
  failures: number;
  blocked_until: Date | null;
  last_failure_at: Date;
}

export interface SchoolsTable {
  id: Generated<string>;
  district_id: string;
  name: string;
  code: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PeopleTable {
  id: Generated<string>;
  district_id: string;
  kind: 'student' | 'staff';
  external_id: string | null;
  email: string | null;
  name: string;
  grade: string | null;
  school_id: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DevicesTable {
  id: Generated<string>;
  district_id: string;
  serial_number: string;
  serial_key: string;
  asset_tag: string | null;
  model: string | null;
  manufacturer: string | null;
  type: DeviceType;
  status: DeviceStatus;
  school_id: string | null;
  assigned_person_id: string | null;
  purchase_date: string | null;
  warranty_end: string | null;
  notes: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AssignmentsTable {
  id: Generated<string>;
  district_id: string;
  device_id: string;
  person_id: string;
  checked_out_at: ColumnType<Date, Date | string | undefined, never>;
  checked_out_by: string;
  checked_in_at: NullableTimestamp;
  checked_in_by: string | null;
  check_in_note: string | null;
}

export type ConnectionState =
  | 'inactive'
  | 'needs_authorization'
  | 'active'
  | 'needs_reauthorization'
  | 'error';

export interface MdmConnectionsTable {
  id: Generated<string>;
  district_id: string;
  provider: string;
  state: ConnectionState;
  settings: Json;
  secret: string | null;
  secret_key_id: string | null;
  /** The provider's short-lived credential obtained with `secret`, encrypted the same way; null when none. */
  access_cache: ColumnType<string | null, string | null | undefined, string | null>;
  auth_method: string | null;
  authorized_account: string | null;
  authorized_at: NullableTimestamp;
  granted_scopes: string | null;
  status_reason: string | null;
  status_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_sync: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  next_sync_at: NullableTimestamp;
  /** When Remove synced data last ran (migration 0015). */
  data_removed_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface OauthStatesTable {
  id: Generated<string>;
  state_hash: string;
  district_id: string;
  user_id: string;
  session_id: string;
  provider: string;
  code_verifier: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  consumed_at: NullableTimestamp;
}

export interface MdmDeviceRecordsTable {
  district_id: string;
  device_id: string;
  provider: string;
  provider_device_id: string | null;
  fields: Json;
  extras: Json;
  content_hash: string | null;
  match_state: 'matched' | 'not_found';
  fetched_at: Timestamp;
  seen_by_run_id: string | null;
  /** What the device search finds the record by, normalized (src/common/search-text.ts; migration 0017). */
  search_text: Generated<string>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type SyncRunState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface SyncRunsTable {
  id: Generated<string>;
  district_id: string;
  connection_id: string;
  provider: string;
  trigger: 'schedule' | 'manual' | 'authorization';
  strategy: string | null;
  estimate: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  state: SyncRunState;
  counters: Json;
  checkpoint: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: string | null;
  queued_at: CreatedAt;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface ProviderRateLimitsTable {
  provider: string;
  tokens: number;
  refilled_at: Date;
  paused_until: Date | null;
}

/** Requests in flight per provider instance (migration 0012): a slot is free when its lease is null or past. */
export interface ProviderRequestSlotsTable {
  bucket: string;
  slot: number;
  leased_until: Date | null;
}

/** Net changes to a district's device totals by status (migration 0011): the totals are their sums. */
export interface DeviceCountDeltasTable {
  district_id: string;
  status: string;
  /** bigint: read back as a string. */
  devices: ColumnType<string, number, never>;
}

export interface SavedViewsTable {
  id: Generated<string>;
  district_id: string;
  user_id: string;
  list: 'devices';
  name: string;
  filters: string;
  columns: ColumnType<string[], string, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DB {
  districts: DistrictsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  setup_tokens: SetupTokensTable;
  audit_events: AuditEventsTable;
  sign_in_throttles: SignInThrottlesTable;
  account_links: AccountLinksTable;
  district_sign_in: DistrictSignInTable;
  schools: SchoolsTable;
  people: PeopleTable;
  devices: DevicesTable;
  assignments: AssignmentsTable;
  mdm_connections: MdmConnectionsTable;
  oauth_states: OauthStatesTable;
  mdm_device_records: MdmDeviceRecordsTable;
  sync_runs: SyncRunsTable;
  provider_rate_limits: ProviderRateLimitsTable;
  provider_request_slots: ProviderRequestSlotsTable;
  device_count_deltas: DeviceCountDeltasTable;
  imports: ImportsTable;
  saved_views: SavedViewsTable;
}

/** A CSV import or its check, run in the background (migration 0013). */
export interface ImportsTable {
  id: Generated<string>;
  district_id: string;
  user_id: string | null;
  target: 'devices' | 'people';
  dry_run: boolean;
  skip_invalid: boolean;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  total_bytes: number;
  read_bytes: Generated<number>;
  rows: Generated<number>;
  result: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: NullableTimestamp;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type SchoolRow = Selectable<SchoolsTable>;
export type PersonRow = Selectable<PeopleTable>;
export type DeviceRow = Selectable<DevicesTable>;
export type AssignmentRow = Selectable<AssignmentsTable>;
export type MdmConnectionRow = Selectable<MdmConnectionsTable>;
export type SyncRunRow = Selectable<SyncRunsTable>;
