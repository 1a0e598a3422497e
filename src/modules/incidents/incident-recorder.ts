import type { EntityManager } from 'typeorm';
import { actorUserId, type Actor } from '../audit/actor';
import type { FieldChange } from '../audit/audit-entry.entity';
import type { AuditService } from '../audit/audit.service';
import type { EventKind, SystemEventType } from './incident-event.entity';

/** Writes timeline entries and audit entries for one change, in the caller's transaction. */
export class IncidentRecorder {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly incidentId: string,
    private readonly actor: Actor,
  ) {}

  async event(
    kind: EventKind,
    options: { type?: SystemEventType; body?: string; data?: Record<string, unknown> } = {},
  ): Promise<string> {
    const rows: { id: string }[] = await this.em.query(
      `INSERT INTO incident_event (incident_id, kind, event_type, body, author_user_id, author_contact_id, author_name, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING id`,
      [
        this.incidentId,
        kind,
        options.type ?? null,
        options.body ?? null,
        actorUserId(this.actor),
        this.actor.kind === 'reporter' ? this.actor.contactId : null,
        this.actor.name,
        options.data ? JSON.stringify(options.data) : null,
      ],
    );
    return String(rows[0].id);
  }

  async auditChange(action: string, changes: FieldChange[]): Promise<void> {
    await this.audit.record(this.em, {
      entityType: 'incident',
      entityId: this.incidentId,
      action,
      actor: this.actor,
      changes,
    });
  }
}
