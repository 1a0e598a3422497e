import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../common/http/pagination';
import { actorLabel, actorUserId, type Actor } from './actor';
import { AuditEntry, type FieldChange } from './audit-entry.entity';

export interface AuditView {
  id: string;
  action: string;
  actor: string;
  changes: FieldChange[];
  at: string;
}

/** Appends to the audit log (inside the caller's transaction) and reads it back. Nothing edits or deletes it. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(
    em: EntityManager,
    entry: { entityType: string; entityId: string; action: string; actor: Actor; changes: FieldChange[] },
  ): Promise<void> {
    await em.query(
      'INSERT INTO audit_entry (entity_type, entity_id, action, actor_user_id, actor_label, changes) VALUES ($1, $2, $3, $4, $5, $6::jsonb)',
      [
        entry.entityType,
        entry.entityId,
        entry.action,
        actorUserId(entry.actor),
        actorLabel(entry.actor),
        JSON.stringify(entry.changes),
      ],
    );
  }

  async list(entityType: string, entityId: string, limit: number, cursor?: string): Promise<Page<AuditView>> {
    const qb = this.entries
      .createQueryBuilder('a')
      .where('a.entityType = :entityType AND a.entityId = :entityId', { entityType, entityId })
      .orderBy('a.id', 'ASC')
      .take(limit + 1);
    if (cursor) qb.andWhere('a.id > :after', { after: decodeCursor(cursor, { id: 'bigint' }).id });
    const rows = await qb.getMany();
    return toPage(
      rows,
      limit,
      (a) => encodeCursor({ id: a.id }),
      (a) => ({
        id: a.id,
        action: a.action,
        actor: a.actorLabel,
        changes: a.changes,
        at: a.createdAt.toISOString(),
      }),
    );
  }
}

/** The fields whose values differ between two snapshots, as audit changes. */
export function diffFields<T extends object>(
  before: T,
  after: T,
  fields: readonly (keyof T & string)[],
): FieldChange[] {
  return fields
    .filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null))
    .map((f) => ({ field: f, old: before[f] ?? null, new: after[f] ?? null }));
}
