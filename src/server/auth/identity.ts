import type { Me } from '../../common/auth.ts';
import { permissionsOf, type Role } from '../../common/permissions.ts';

export interface IdentityRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  disabled_at: Date | null;
  last_sign_in_at: Date | null;
  user_created_at: Date;
  district_id: string;
  district_name: string;
}

/** Who a request acts as, and how it proved it. */
export interface Identity {
  row: IdentityRow;
  via: { kind: 'session'; sessionId: string; tokenHash: string } | { kind: 'token'; tokenId: string };
}

export function toMe(row: IdentityRow): Me {
  return {
    user: {
      id: row.user_id,
      email: row.email,
      name: row.name,
      role: row.role,
      disabled: row.disabled_at !== null,
      invited: false,
      lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
      createdAt: row.user_created_at.toISOString(),
    },
    district: { id: row.district_id, name: row.district_name },
    permissions: [...permissionsOf(row.role)],
  };
}
