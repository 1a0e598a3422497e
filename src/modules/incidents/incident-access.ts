import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { isDeskStaff } from '../users/roles';
import type { EventKind } from './incident-event.entity';

const NOTHING = '00000000-0000-0000-0000-000000000000';

/**
 * The one place incident visibility is decided. Every query that reads incidents for a caller goes through
 * this: desk staff see all; a trust manager only their trust's incidents; a supplier user only incidents
 * escalated to their supplier. Callers outside the scope get "not found", never "forbidden", so references
 * of other trusts cannot be probed.
 */
export function applyIncidentScope<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  user: AuthUser,
): SelectQueryBuilder<T> {
  switch (user.role) {
    case 'agent':
    case 'desk_manager':
    case 'admin':
      return qb;
    case 'trust_manager':
      return qb.andWhere(`${alias}.trust_id = :scopeTrustId`, { scopeTrustId: user.trustId ?? NOTHING });
    case 'supplier':
      return qb.andWhere(
        `EXISTS (SELECT 1 FROM escalation scope_e WHERE scope_e.incident_id = ${alias}.id AND scope_e.supplier_id = :scopeSupplierId)`,
        { scopeSupplierId: user.supplierId ?? NOTHING },
      );
  }
}

/** Timeline entries a role may read: internal notes are for the desk only. */
export function visibleEventKinds(user: AuthUser): EventKind[] {
  return isDeskStaff(user) ? ['public_reply', 'internal_note', 'system'] : ['public_reply', 'system'];
}
