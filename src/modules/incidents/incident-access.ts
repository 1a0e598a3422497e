import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { isDeskStaff } from '../users/domain/roles';
import type { EventKind } from './incident-event.entity';
import { IncidentParticipants } from './participants/incident-participants';

const NOTHING = '00000000-0000-0000-0000-000000000000';

/** Which incidents a caller may see, as a value both renderings of IncidentScope are made from. */
export type ScopeRule =
  | { kind: 'all' }
  | { kind: 'trust'; trustId: string }
  /** The incidents some participant (escalation) says were handed to this supplier. */
  | { kind: 'supplier'; supplierId: string };

/** The one rule: desk staff see all; a trust manager their trust's incidents; a supplier user their escalations. */
export function scopeRule(user: AuthUser): ScopeRule {
  switch (user.role) {
    case 'agent':
    case 'desk_manager':
    case 'admin':
      return { kind: 'all' };
    case 'trust_manager':
      return { kind: 'trust', trustId: user.trustId ?? NOTHING };
    case 'supplier':
      return { kind: 'supplier', supplierId: user.supplierId ?? NOTHING };
  }
}

/**
 * The one place incident visibility is decided (scopeRule), for both kinds of reader: a TypeORM query builder
 * (`apply`) and raw SQL (`sql`: a condition and its parameters). Every query that reads incidents for a caller
 * goes through one of them. Callers outside the scope get "not found", never "forbidden", so references of other
 * trusts cannot be probed.
 */
@Injectable()
export class IncidentScope {
  constructor(private readonly participants: IncidentParticipants) {}

  /**
   * The condition on incidents aliased `alias` for this caller, with its parameters numbered from `firstParam`
   * (`$3`, ...): `WHERE ... AND ${scope.sql}` with `[...yours, ...scope.params]`.
   */
  sql(user: AuthUser, alias: string, firstParam: number): { sql: string; params: unknown[] } {
    const rule = scopeRule(user);
    switch (rule.kind) {
      case 'all':
        return { sql: 'true', params: [] };
      case 'trust':
        return { sql: `${alias}.trust_id = $${firstParam}::uuid`, params: [rule.trustId] };
      case 'supplier':
        return {
          sql: `(${this.participants.supplierScope(alias, `$${firstParam}::uuid`)})`,
          params: [rule.supplierId],
        };
    }
  }

  /** The same condition added to a query builder over incidents aliased `alias`. */
  apply<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    user: AuthUser,
  ): SelectQueryBuilder<T> {
    const rule = scopeRule(user);
    switch (rule.kind) {
      case 'all':
        return qb;
      case 'trust':
        return qb.andWhere(`${alias}.trust_id = :scopeTrustId`, { scopeTrustId: rule.trustId });
      case 'supplier':
        return qb.andWhere(`(${this.participants.supplierScope(alias, ':scopeSupplierId')})`, {
          scopeSupplierId: rule.supplierId,
        });
    }
  }
}

/** Timeline entries a role may read: internal notes are for the desk only. */
export function visibleEventKinds(user: AuthUser): EventKind[] {
  return isDeskStaff(user) ? ['public_reply', 'internal_note', 'system'] : ['public_reply', 'system'];
}
