import type { Migration } from 'kysely/migration';
import * as foundation from './0001_foundation.ts';
import * as inventory from './0002_inventory.ts';
import * as mdmConnections from './0003_mdm_connections.ts';
import * as mdmDeviceRecords from './0004_mdm_device_records.ts';
import * as syncRuns from './0005_sync_runs.ts';
import * as mdmRecordFilters from './0006_mdm_record_filters.ts';
import * as mdmRecordFillfactor from './0007_mdm_record_fillfactor.ts';
import * as mdmRecordKey from './0008_mdm_record_key.ts';
import * as providerRateLimits from './0009_provider_rate_limits.ts';
import * as mdmAccessCache from './0010_mdm_access_cache.ts';
import * as deviceCounts from './0011_device_counts.ts';
import * as providerRequestScope from './0012_provider_request_scope.ts';
import * as serialKeysAndImports from './0013_serial_keys_and_imports.ts';
import * as accountsPerDistrict from './0014_accounts_per_district.ts';
import * as districtPrivacySettings from './0015_district_privacy_settings.ts';
import * as mdmRecordSearch from './0017_mdm_record_search.ts';
import * as savedViewsTimeZone from './0018_saved_views_time_zone.ts';
import * as accountMail from './0019_account_mail.ts';
import * as districtSignIn from './0020_district_sign_in.ts';

/** Every migration, in order; forward-only, one file per change. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_inventory': inventory,
  '0003_mdm_connections': mdmConnections,
  '0004_mdm_device_records': mdmDeviceRecords,
  '0005_sync_runs': syncRuns,
  '0006_mdm_record_filters': mdmRecordFilters,
  '0007_mdm_record_fillfactor': mdmRecordFillfactor,
  '0008_mdm_record_key': mdmRecordKey,
  '0009_provider_rate_limits': providerRateLimits,
  '0010_mdm_access_cache': mdmAccessCache,
  '0011_device_counts': deviceCounts,
  '0012_provider_request_scope': providerRequestScope,
  '0013_serial_keys_and_imports': serialKeysAndImports,
  '0014_accounts_per_district': accountsPerDistrict,
  '0015_district_privacy_settings': districtPrivacySettings,
  '0017_mdm_record_search': mdmRecordSearch,
  '0018_saved_views_time_zone': savedViewsTimeZone,
  '0019_account_mail': accountMail,
  '0020_district_sign_in': districtSignIn,
};
